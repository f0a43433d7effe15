package com.idynic.eventbus.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.EventEnvelope;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SensitiveFieldsTest {
    final Map<String, List<SchemaVersion>> registered = new HashMap<>();
    final List<String> reads = new ArrayList<>();
    final SensitiveFields fields = new SensitiveFields(type -> {
        reads.add(type);
        return registered.getOrDefault(type, List.of());
    });

    static JsonObject json(String s) {
        return Json.createReader(new StringReader(s.replace('\'', '"'))).readObject();
    }

    void register(String type, String schema) {
        List<SchemaVersion> vs = registered.computeIfAbsent(type, t -> new ArrayList<>());
        vs.add(new SchemaVersion(type, vs.size() + 1, schema.replace('\'', '"'), false, Instant.EPOCH));
    }

    @Test
    void aNestedPropertyIsMaskedAndItsSiblingsAreNot() {
        register(
                "card.charged",
                "{'type':'object','properties':{'amount':{'type':'number'},'card':{'type':'object','properties':{"
                        + "'number':{'type':'string','x-sensitive':true},'brand':{'type':'string'}}}}}");
        JsonObject data = json("{'amount':12.5,'card':{'number':'4111111111111111','brand':'visa'}}");

        assertEquals(json("{'amount':12.5,'card':{'number':'***','brand':'visa'}}"), fields.mask("card.charged", data));
        assertEquals(List.of("/card/number"), fields.pointers("card.charged"));
    }

    @Test
    void everyItemOfAnArrayHasItsSensitiveFieldMasked() {
        register(
                "team.changed",
                "{'type':'object','properties':{'members':{'type':'array','items':{'type':'object','properties':{"
                        + "'name':{'type':'string'},'email':{'type':'string','x-sensitive':true}}}},"
                        + "'pins':{'type':'array','items':{'type':'integer','x-sensitive':true}}}}");
        JsonObject data = json("{'members':[{'name':'a','email':'a@x.io'},{'name':'b','email':'b@x.io'},{'name':'c'}],"
                + "'pins':[1234,5678]}");

        assertEquals(
                json("{'members':[{'name':'a','email':'***'},{'name':'b','email':'***'},{'name':'c'}],"
                        + "'pins':['***','***']}"),
                fields.mask("team.changed", data));
        assertEquals(List.of("/members/*/email", "/pins/*"), fields.pointers("team.changed"));
    }

    @Test
    void aSensitiveObjectIsMaskedWhole() {
        register(
                "user.created",
                "{'type':'object','properties':{'address':{'type':'object','x-sensitive':true,"
                        + "'properties':{'street':{'type':'string'}}}}}");

        assertEquals(
                json("{'address':'***','id':'u1'}"),
                fields.mask("user.created", json("{'address':{'street':'Main St 1'},'id':'u1'}")));
    }

    @Test
    void aLocalRefCarriesTheMarkAndARecursiveRefEnds() {
        register(
                "person.known",
                "{'$defs':{'secret':{'type':'string','x-sensitive':true},'person':{'type':'object','properties':{"
                        + "'ssn':{'$ref':'#/$defs/secret'},'name':{'type':'string'},"
                        + "'parent':{'$ref':'#/$defs/person'}}}},"
                        + "'type':'object','properties':{'who':{'$ref':'#/$defs/person'}}}");
        JsonObject data = json("{'who':{'name':'a','ssn':'078-05-1120','parent':{'name':'b','ssn':'219-09-9999'}}}");

        JsonObject masked = fields.mask("person.known", data);

        assertEquals("***", masked.getJsonObject("who").getString("ssn"));
        assertEquals("a", masked.getJsonObject("who").getString("name"));
        assertEquals(
                json("{'name':'b','ssn':'219-09-9999'}"),
                masked.getJsonObject("who").getJsonObject("parent"),
                "a recursive $ref is followed once: the same definition below itself is not walked again");
        assertEquals(List.of("/who/ssn"), fields.pointers("person.known"));
    }

    @Test
    void aFieldMarkedInAnyVersionIsMaskedInEveryEventOfTheType() {
        register("order.placed", "{'type':'object','properties':{'email':{'type':'string','x-sensitive':true}}}");
        register(
                "order.placed",
                "{'type':'object','properties':{'email':{'type':'string'},"
                        + "'phone':{'type':'string','x-sensitive':true}}}");

        assertEquals(
                json("{'email':'***','phone':'***','total':3}"),
                fields.mask("order.placed", json("{'email':'a@x.io','phone':'+1 555','total':3}")));
    }

    @Test
    void anUnknownTypeOrAPayloadWithoutSensitiveFieldsIsReturnedAsItIs() {
        register("card.charged", "{'type':'object','properties':{'pan':{'type':'string','x-sensitive':true}}}");
        JsonObject data = json("{'amount':1}");

        JsonObject unknown = json("{'pan':'4111'}");
        assertSame(unknown, fields.mask("no.such.type", unknown));
        assertSame(data, fields.mask("card.charged", data));
    }

    @Test
    void aVersionIsDerivedOnce() {
        register("card.charged", "{'type':'object','properties':{'pan':{'type':'string','x-sensitive':true}}}");
        SchemaVersion v = registered.get("card.charged").get(0);
        fields.mask("card.charged", json("{'pan':'1'}"));
        registered.put("card.charged", List.of(new SchemaVersion("card.charged", 1, "{}", false, Instant.EPOCH)));

        assertEquals(json("{'pan':'***'}"), fields.mask("card.charged", json("{'pan':'2'}")), v.toString());
    }

    @Test
    void aValidationErrorDoesNotEchoASensitiveValue() {
        List<SchemaVersion> versions = new ArrayList<>();
        SchemaRegistry registry = new SchemaRegistry(new MemoryStore(versions), new DataValidator(), false);
        registry.register(
                "admin",
                "vault.opened",
                json("{'type':'object','properties':{'secrets':{'type':'object','x-sensitive':true,"
                        + "'propertyNames':{'maxLength':4}}}}"),
                false);
        EventEnvelope e = EventEnvelope.of("evt-1", "vault.opened", "vault", json("{'secrets':{'hunter2-key':1}}"));

        BusException refused = assertThrows(BusException.class, () -> registry.validate(e));

        assertEquals(
                "property '***' name is not valid: must be at most 4 characters long",
                refused.details().get("error"));
        assertEquals(Set.of("hunter2-key", "1"), registry.sensitiveFields().values("vault.opened", e.data()));
    }

    /** A schema store in memory, every type in compatibility mode NONE. */
    record MemoryStore(List<SchemaVersion> versions) implements com.idynic.eventbus.schema.spi.SchemaStore {
        @Override
        public List<SchemaVersion> versions(String eventType) {
            return versions.stream()
                    .filter(v -> v.eventType().equals(eventType))
                    .toList();
        }

        @Override
        public List<String> types() {
            return versions.stream().map(SchemaVersion::eventType).distinct().toList();
        }

        @Override
        public int add(String eventType, String schema) {
            int n = versions(eventType).size() + 1;
            versions.add(new SchemaVersion(eventType, n, schema, false, Instant.EPOCH));
            return n;
        }

        @Override
        public boolean deprecate(String eventType, int version) {
            return false;
        }

        @Override
        public java.util.Optional<Compatibility> compatibility(String eventType) {
            return java.util.Optional.of(Compatibility.NONE);
        }

        @Override
        public void setCompatibility(String eventType, Compatibility mode) {}
    }
}
