package com.idynic.eventbus.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {
    static final String SPELLING =
            "must name its host as a DNS name, a dotted-quad IPv4 address or a bracketed IPv6 address";

    final List<String> lookedUp = new ArrayList<>();
    final Map<String, List<String>> dns = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "localhost", List.of("127.0.0.1", "::1"),
            "split.example.com", List.of("93.184.216.34", "10.0.0.7"),
            "metadata.example.com", List.of("169.254.169.254"),
            "ten.example.com", List.of("10.9.8.7"));

    InetAddress[] resolve(String host) throws UnknownHostException {
        lookedUp.add(host);
        List<String> found = dns.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        List<InetAddress> out = new ArrayList<>();
        for (String a : found) {
            out.add(AddressLiterals.literal(a));
        }
        return out.toArray(new InetAddress[0]);
    }

    AddressGuard guard(String allow) {
        return new AddressGuard(AddressGuard.parse(allow), this::resolve);
    }

    AddressGuard guard(String allow, String deny) {
        return new AddressGuard(AddressGuard.parse(allow), AddressGuard.parse(deny), this::resolve);
    }

    static List<String> written(String entries) {
        return AddressGuard.parse(entries).stream().map(Endpoints::toString).toList();
    }

    String refusal(AddressGuard g, String url) {
        return assertThrows(AddressGuard.Refused.class, () -> g.check(url), url).getMessage();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "0.1.2.3",
                "10.1.2.3",
                "100.64.0.1",
                "100.127.255.254",
                "127.0.0.1",
                "127.255.255.254",
                "169.254.169.254",
                "172.16.0.1",
                "172.31.255.255",
                "192.0.0.8",
                "192.168.1.1",
                "198.18.0.1",
                "198.19.255.255",
                "224.0.0.1",
                "239.255.255.250",
                "240.0.0.1",
                "255.255.255.255",
                "[::]",
                "[::1]",
                "[fe80::1]",
                "[febf:ffff::1]",
                "[fec0::1]",
                "[fc00::1]",
                "[fd00::1]",
                "[ff02::1]",
                "[::ffff:127.0.0.1]",
                "[::ffff:169.254.169.254]",
                "[::ffff:7f00:1]",
                "[::127.0.0.1]",
                "[::10.0.0.1]",
                "[64:ff9b::a9fe:a9fe]",
                "[2002:7f00:1::]",
                "[2002:c0a8:101::1]"
            })
    void refusesEveryInternalRangeAndItsIpv6Embeddings(String host) {
        assertEquals(AddressGuard.INTERNAL, refusal(guard(""), "http://" + host + ":8080/hook"));
        assertEquals(List.of(), lookedUp);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://2130706433/",
                "http://0x7f000001/",
                "http://0x7f.1/",
                "http://127.1/",
                "http://0177.0.0.1/",
                "http://127.000.000.001/",
                "http://017700000001/",
                "http://93.184.216.034/",
                "http://1.2.3.4.5/",
                "http://[fe80::1%25eth0]/"
            })
    void refusesHostsSpelledOtherThanAsADottedQuadABracketedIpv6AddressOrADnsName(String url) {
        assertEquals(SPELLING, refusal(guard("0.0.0.0/0,::/0"), url));
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void refusesADnsNameWhenAnyOfItsAddressesIsInternal() {
        AddressGuard g = guard("");
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://localhost:9080/v1/events"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "https://split.example.com/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://metadata.example.com/latest/meta-data"));
        assertEquals(List.of("localhost", "split.example.com", "metadata.example.com"), lookedUp);
    }

    @Test
    void refusesAHostThatDoesNotResolve() {
        assertEquals(AddressGuard.UNRESOLVED, refusal(guard(""), "https://nowhere.example.com/hook"));
        AddressGuard empty = new AddressGuard(List.of(), host -> new InetAddress[0]);
        assertEquals(AddressGuard.UNRESOLVED, refusal(empty, "https://hooks.example.com/hook"));
        AddressGuard broken = new AddressGuard(List.of(), host -> {
            throw new IllegalStateException("resolver down");
        });
        assertEquals(AddressGuard.UNRESOLVED, refusal(broken, "https://hooks.example.com/hook"));
    }

    @Test
    void refusesOtherSchemesUserInformationAndUrlsThatDoNotParse() {
        AddressGuard g = guard("0.0.0.0/0");
        assertEquals("must be an absolute http or https URL", refusal(g, "ftp://93.184.216.34/"));
        assertEquals("must be an absolute http or https URL", refusal(g, "file:///etc/passwd"));
        assertEquals("must be an absolute http or https URL", refusal(g, "//93.184.216.34/hook"));
        assertEquals("must not contain user information", refusal(g, "http://user:pw@93.184.216.34/"));
        assertEquals("must not contain user information", refusal(g, "http://93.184.216.34@10.0.0.1/"));
        assertEquals("is not a valid URL", refusal(g, "http://93.184.216.34/a b"));
    }

    @Test
    void permitsPublicAddressesAndNamesThatResolveOnlyToThem() throws Exception {
        AddressGuard g = guard("");
        assertEquals(List.of(AddressLiterals.literal("93.184.216.34")), g.check("http://93.184.216.34/hook"));
        assertEquals(
                List.of(AddressLiterals.literal("93.184.216.34")), g.check("https://hooks.example.com:8443/h?x=1"));
        assertEquals(
                List.of(AddressLiterals.literal("2606:2800:220:1:248:1893:25c8:1946")),
                g.check("https://[2606:2800:220:1:248:1893:25c8:1946]/hook"));
        assertEquals(List.of(AddressLiterals.literal("8.8.8.8")), g.check("http://[::ffff:8.8.8.8]/"));
        assertEquals(List.of("hooks.example.com"), lookedUp);
    }

    @Test
    void theAllowListLetsChosenInternalAddressesThroughAndNothingElse() throws Exception {
        AddressGuard g = guard(" 127.0.0.5/32 , 10.0.0.0/8,fd00::/8 ");
        g.check("http://127.0.0.5:4000/hook");
        g.check("http://10.200.3.4/hook");
        g.check("http://ten.example.com/hook");
        g.check("http://[fd12::1]/hook");
        g.check("http://[::ffff:127.0.0.5]/hook");
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.1:4000/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.6/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://localhost/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://192.168.1.1/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://[fe80::1]/hook"));
    }

    @Test
    void readsAnAllowListAndNamesTheFirstBadEntry() {
        assertEquals(List.of(), AddressGuard.parse(null));
        assertEquals(List.of(), AddressGuard.parse(" "));
        assertEquals(
                List.of("127.0.0.1/32", "10.0.0.0/8", "0:0:0:0:0:0:0:1/128", "fd00:0:0:0:0:0:0:0/8"),
                written("127.0.0.1, 10.0.0.0/8,::1/128,fd00::/8,"));
        List<String> bads = List.of(
                "10.0.0/8",
                "10.0.0.0/33",
                "::1/129",
                "10.0.0.0/",
                "10.0.0.0/-1",
                "localhost/8",
                "010.0.0.0/8",
                "10.0.0.0/8/8",
                "fe80::1%eth0/64",
                "127.0.0.1/32:",
                "127.0.0.1/32:0",
                "127.0.0.1/32:65536",
                "127.0.0.1/32:9000-8000",
                "127.0.0.1/32:80-",
                "127.0.0.1/32:http",
                "127.0.0.1/32:80:90",
                "10.0.0.0/33:80",
                "[127.0.0.1]/32",
                "[::1",
                "[::1]128",
                "[::1]/129:80",
                "[::1]/128:",
                "[::1]:80:90");
        for (String bad : bads) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> AddressGuard.parse("127.0.0.1/32," + bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void readsEntriesWithAPortOrAPortRangeAndIpv6WithOrWithoutBrackets() {
        assertEquals(
                List.of(
                        "127.0.0.1/32:8000-8999",
                        "127.0.0.1/32:8080",
                        "10.0.0.0/8:443",
                        "[0:0:0:0:0:0:0:1]/128:8088",
                        "[0:0:0:0:0:0:0:1]/128:8089-8090",
                        "0:0:0:0:0:0:0:1/128",
                        "fd00:0:0:0:0:0:0:0/8",
                        "[fd00:0:0:0:0:0:0:0]/8:443",
                        "0:0:0:0:0:0:0:1/128"),
                written("127.0.0.1/32:8000-8999, 127.0.0.1:8080, 10.0.0.0/8:443, [::1]/128:8088, ::1/128:8089-8090,"
                        + " [::1]:1-65535, [fd00::]/8, [fd00::]/8:443, [::1]"));
        assertEquals(
                List.of("0:0:0:0:0:0:1:8088/128"),
                written("::1:8088"),
                "without a prefix or brackets the last group of an IPv6 address is no port");
        assertEquals(
                List.of("127.0.0.1/32:8000-8999"),
                written(written("127.0.0.1/32:8000-8999").get(0)));
        assertEquals(
                List.of("[0:0:0:0:0:0:0:1]/128:8088"),
                written(written("[::1]/128:8088").get(0)));
    }

    @Test
    void anAllowedAddressIsOpenOnlyOnTheAllowedPorts() throws Exception {
        AddressGuard g = guard("127.0.0.1/32:8000-8999,[::1]/128:8088");
        g.check("http://127.0.0.1:8000/hook");
        g.check("http://127.0.0.1:8999/hook");
        g.check("http://[::1]:8088/hook");
        g.check("http://localhost:8088/hook");
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.1:7999/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.1:9000/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.1/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "https://[::1]/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://[::1]:8089/hook"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://localhost:8500/hook"));
    }

    @Test
    void theDenyListWinsOverTheAllowListAndOverPublicAddresses() throws Exception {
        AddressGuard g =
                guard("127.0.0.1/32,::1/128", "127.0.0.0/8:9080,::1/128:9080,[::1]/128:15432,93.184.216.34:25");
        for (String url : List.of(
                "http://127.0.0.1:9080/v1/services",
                "http://[::1]:9080/v1/services",
                "http://localhost:9080/v1/services",
                "http://[::ffff:127.0.0.1]:9080/v1/services",
                "http://[::127.0.0.1]:9080/v1/services",
                "http://[2002:7f00:1::]:9080/v1/services")) {
            assertEquals(AddressGuard.reserved(9080), refusal(g, url));
        }
        assertEquals(
                "must not point at port 9080 of this address, which is reserved for the bus and its dependencies"
                        + " (EVENTBUS_WEBHOOK_DENY)",
                AddressGuard.reserved(9080));
        assertEquals(AddressGuard.reserved(15432), refusal(g, "http://[::1]:15432/"));
        assertEquals(AddressGuard.reserved(25), refusal(g, "http://hooks.example.com:25/"));
        assertEquals(AddressGuard.INTERNAL, refusal(g, "http://127.0.0.2:9080/"), "not allowed at all: said first");
        g.check("http://127.0.0.1:9081/hook");
        g.check("http://127.0.0.1:15432/hook");
        g.check("http://[::1]:8088/hook");
        g.check("http://127.0.0.1/hook");
        g.check("https://hooks.example.com/hook");
        assertFalse(g.permitted(AddressLiterals.literal("127.0.0.1"), 9080));
        assertTrue(g.permitted(AddressLiterals.literal("127.0.0.1"), 9081));
    }

    @Test
    void refusesAPortNoSocketCanHave() throws Exception {
        AddressGuard g = guard("0.0.0.0/0");
        assertEquals(AddressGuard.BAD_PORT, refusal(g, "http://93.184.216.34:0/hook"));
        assertEquals(AddressGuard.BAD_PORT, refusal(g, "http://93.184.216.34:65536/hook"));
        g.check("http://93.184.216.34:65535/hook");
    }

    @Test
    void aRangeHoldsExactlyTheAddressesUnderItsPrefix() {
        Cidr cgnat = Cidr.of("100.64.0.0/10");
        assertTrue(cgnat.contains(AddressLiterals.literal("100.64.0.0")));
        assertTrue(cgnat.contains(AddressLiterals.literal("100.127.255.255")));
        assertFalse(cgnat.contains(AddressLiterals.literal("100.63.255.255")));
        assertFalse(cgnat.contains(AddressLiterals.literal("100.128.0.0")));
        assertFalse(cgnat.contains(AddressLiterals.literal("64:ff9b::6440:1")));
        assertTrue(Cidr.of("0.0.0.0/0").contains(AddressLiterals.literal("8.8.8.8")));
        assertFalse(Cidr.of("0.0.0.0/0").contains(AddressLiterals.literal("2001:db8::1")));
    }
}
