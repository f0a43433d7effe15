package com.idynic.eventbus.console;

import com.idynic.eventbus.api.BusException;
import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.api.Timestamps;
import com.idynic.eventbus.broker.RetentionPolicyView;
import com.idynic.eventbus.broker.RetentionRunView;
import com.idynic.eventbus.broker.RetentionService;
import com.idynic.eventbus.schema.Compatibility;
import com.idynic.eventbus.schema.SchemaRegistry;
import com.idynic.eventbus.schema.SchemaVersion;
import com.idynic.eventbus.subscribers.SchemaReaders;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.Serializable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Schemas and retention (admin): the types with their versions and compatibility, a version's JSON, registering a
 * new version with its compatibility check (the {@link SchemaRegistry} methods {@code /v1/schemas} calls, refusals
 * shown with their error details), and retention policies and runs ({@link RetentionService}, as
 * {@code /v1/retention}).
 */
@Named
@ViewScoped
public class SchemasView implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * What a check or a registration answered, or why it was refused.
     *
     * @param ok whether it was accepted (or, for a check, would be)
     * @param code the error code of a refusal, or null
     * @param message a sentence for the page
     * @param errors the refusal's {@code details.errors} (or breaks of a check), one line each
     * @param affected subscriptions reading an older version that the new one breaks
     */
    public record Outcome(boolean ok, String code, String message, List<String> errors, List<String> affected)
            implements Serializable {}

    @Inject
    BusServices bus;

    @Inject
    Operator operator;

    private String eventType;
    private String schemaJson = "";
    private Integer shownVersion;
    private Outcome outcome;
    private Compatibility mode;
    private String policyType;
    private Long policyMaxAge;
    private Long policyMaxCount;
    private String runId;

    // ---- schemas

    /** @return the types that have schemas */
    public List<String> getTypes() {
        return bus.schemas().types();
    }

    /** @return a type's versions */
    public List<SchemaVersion> versions(String type) {
        return bus.schemas().versions(type);
    }

    /** @return a type's compatibility mode */
    public Compatibility modeOf(String type) {
        return bus.schemas().mode(type);
    }

    /** Selects a type (its versions, its mode, the register form). */
    public void select(String type) {
        eventType = type;
        shownVersion = null;
        outcome = null;
        mode = bus.schemas().mode(type);
        List<SchemaVersion> v = bus.schemas().versions(type);
        schemaJson = v.isEmpty() ? "" : pretty(v.get(v.size() - 1).schema());
    }

    /** Shows one version's JSON. */
    public void show(int version) {
        shownVersion = version;
    }

    /** @return the version shown, or null */
    public SchemaVersion getShown() {
        if (eventType == null || shownVersion == null) {
            return null;
        }
        return bus.schemas().versions(eventType).stream()
                .filter(v -> v.version() == shownVersion)
                .findFirst()
                .orElse(null);
    }

    /** @return a schema's JSON, indented */
    public String pretty(String json) {
        return Json.pretty(CachedJson.createReader(new StringReader(json)).readObject());
    }

    /** Checks the schema in the form against the type's mode without storing it (a dry run). */
    public void check() {
        submit(true);
    }

    /** Registers the schema in the form as the next version, or shows why not. */
    public void register() {
        submit(false);
    }

    private void submit(boolean dryRun) {
        outcome = null;
        String type = eventType == null ? "" : eventType.strip();
        if (!com.idynic.eventbus.api.EventTypes.isType(type)) {
            outcome = new Outcome(
                    false,
                    "VALIDATION_ERROR",
                    "Invalid request: 'eventType' must be an exact event type",
                    List.of("eventType: must be an exact event type"),
                    List.of());
            return;
        }
        JsonObject schema;
        try {
            schema = CachedJson.createReader(new StringReader(schemaJson)).readObject();
        } catch (JsonException | IllegalStateException e) {
            outcome = new Outcome(false, "VALIDATION_ERROR", "The schema is not a JSON object.", List.of(), List.of());
            return;
        }
        try {
            List<SchemaReaders.Broken> broken =
                    bus.schemaReaders().brokenBy(type, reads -> bus.schemas().breaksReader(type, reads, schema));
            SchemaRegistry.Registration r =
                    bus.schemas().register(operator.account().name(), type, schema, dryRun);
            List<String> affected = broken.stream()
                    .map(b ->
                            b.subscriptionId() + " (reads v" + b.readsVersion() + "): " + String.join("; ", b.breaks()))
                    .toList();
            String message;
            if (r.existing()) {
                message = "This schema is version " + r.version() + " already; nothing was stored.";
            } else if (dryRun) {
                message = r.breaks().isEmpty()
                        ? "Compatible (" + r.mode() + "): it would be version " + r.version() + "."
                        : "Not compatible (" + r.mode() + "): registering it would be refused.";
            } else {
                message = "Registered version " + r.version() + " of " + type + " (" + r.mode() + ").";
            }
            outcome = new Outcome(r.breaks().isEmpty(), null, message, r.breaks(), affected);
        } catch (BusException e) {
            outcome = new Outcome(false, e.errorCode(), e.getMessage(), errors(e.details()), List.of());
        }
    }

    /** @return the lines of a refusal's details: {@code errors} when present, else {@code field: error} */
    static List<String> errors(Map<String, Object> details) {
        List<String> out = new ArrayList<>();
        if (details.get("errors") instanceof List<?> l) {
            l.forEach(x ->
                    out.add(x instanceof Map<?, ?> m ? m.get("field") + ": " + m.get("error") : String.valueOf(x)));
        } else if (details.get("field") != null) {
            out.add(details.get("field") + ": " + details.get("error"));
        }
        return out;
    }

    /** Sets the selected type's compatibility mode. */
    public void saveMode() {
        if (eventType != null && mode != null) {
            bus.schemas().setMode(operator.account().name(), eventType, mode);
            Messages.info("Compatibility of " + eventType + " is now " + mode + ".");
        }
    }

    /** @return every mode */
    public Compatibility[] getModes() {
        return Compatibility.values();
    }

    // ---- retention

    /** @return retention now: default, policies, last run */
    public RetentionService.Overview getRetention() {
        return bus.retention().overview();
    }

    /** Stores the policy in the form. */
    public void savePolicy() {
        JsonObjectBuilder b = CachedJson.createObjectBuilder();
        if (policyMaxAge != null) {
            b.add("maxAgeSeconds", policyMaxAge);
        }
        if (policyMaxCount != null) {
            b.add("maxCount", policyMaxCount);
        }
        String type = policyType == null ? "" : policyType.strip();
        RetentionPolicyView p = Messages.attempt(
                () -> bus.retention().savePolicy(operator.account().name(), type, b.build()));
        if (p != null) {
            Messages.info(
                    "Events of " + p.eventType() + " are kept " + p.maxAge().toSeconds() + " s"
                            + (p.maxCount() == null ? "" : " and at most " + p.maxCount()) + ".");
        }
    }

    /** Fills the form with a policy, to change it. */
    public void edit(RetentionPolicyView p) {
        policyType = p.eventType();
        policyMaxAge = p.maxAge().toSeconds();
        policyMaxCount = p.maxCount();
    }

    /** Removes a type's policy (its events fall under the default). */
    public void deletePolicy(String type) {
        if (Messages.attempt(() -> {
                    bus.retention().deletePolicy(operator.account().name(), type);
                    return Boolean.TRUE;
                })
                != null) {
            Messages.info("Removed the policy of " + type + "; the default applies.");
        }
    }

    /** Starts a run now, or follows the one already running. */
    public void runNow() {
        RetentionService.Start s =
                Messages.attempt(() -> bus.retention().start(operator.account().name()));
        if (s != null) {
            runId = s.run().id();
            Messages.info(
                    s.started() ? "Started retention run " + runId + "." : "Run " + runId + " is already running.");
        }
    }

    /** @return the run started here (re-read), or null */
    public RetentionRunView getRun() {
        return runId == null ? null : Messages.attempt(() -> bus.retention().run(runId));
    }

    /** @return what the run started here removed per policy's type ("order.placed: 2"; "*" for the default), or none */
    public List<String> getRunRemoved() {
        RetentionRunView r = getRun();
        return r == null
                ? List.of()
                : r.removed().entrySet().stream()
                        .map(e ->
                                (e.getKey().equals("*") ? "types under the default" : e.getKey()) + ": " + e.getValue())
                        .toList();
    }

    /** @return whether the run started here is still working */
    public boolean isRunning() {
        RetentionRunView r = getRun();
        return r != null && r.running();
    }

    /** @return a time, ISO-8601 */
    public String time(java.time.Instant t) {
        return t == null ? "" : Timestamps.format(t);
    }

    // ---- form fields

    public String getEventType() {
        return eventType;
    }

    public void setEventType(String eventType) {
        this.eventType = eventType;
    }

    public String getSchemaJson() {
        return schemaJson;
    }

    public void setSchemaJson(String schemaJson) {
        this.schemaJson = schemaJson;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public Compatibility getMode() {
        return mode;
    }

    public void setMode(Compatibility mode) {
        this.mode = mode;
    }

    public String getPolicyType() {
        return policyType;
    }

    public void setPolicyType(String policyType) {
        this.policyType = policyType;
    }

    public Long getPolicyMaxAge() {
        return policyMaxAge;
    }

    public void setPolicyMaxAge(Long policyMaxAge) {
        this.policyMaxAge = policyMaxAge;
    }

    public Long getPolicyMaxCount() {
        return policyMaxCount;
    }

    public void setPolicyMaxCount(Long policyMaxCount) {
        this.policyMaxCount = policyMaxCount;
    }
}
