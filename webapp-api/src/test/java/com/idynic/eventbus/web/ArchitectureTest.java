package com.idynic.eventbus.web;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.idynic.eventbus.api.CachedJson;
import com.idynic.eventbus.runtime.SettingsWiring;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module walls that module-info cannot enforce at run time (Liberty loads EAR jars unnamed). */
class ArchitectureTest {
    static final JavaClasses BUS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.idynic.eventbus");

    /**
     * The client jar's transactional publisher writes the event and its outbox row, and reads registered schemas,
     * through the bus's server-level DataSource inside the co-deployed app's own JTA transaction. It runs in that
     * app, where the bus's storage module is not deployed, so these classes hold their own SQL; no other class
     * of the client may. {@code InTransactionSink} acknowledges deliveries in the observers' transaction, and
     * {@code ProcessedEvents} is the idempotent-consumer helper for the app's own database.
     */
    static final String OUTBOX_WRITER = "com.idynic.eventbus.client.internal.OutboxWriter";

    static final String REGISTERED_SCHEMAS = "com.idynic.eventbus.client.internal.RegisteredSchemas";

    static final String IN_TRANSACTION_SINK = "com.idynic.eventbus.client.internal.InTransactionSink";

    static final String PROCESSED_EVENTS = "com.idynic.eventbus.client.ProcessedEvents";

    @Test
    void onlyStorageAndTheClientsTransactionalWriterKnowJpaAndSql() {
        noClasses()
                .that()
                .resideOutsideOfPackages("com.idynic.eventbus.storage..")
                .and()
                .doNotHaveFullyQualifiedName(OUTBOX_WRITER)
                .and()
                .doNotHaveFullyQualifiedName(REGISTERED_SCHEMAS)
                .and()
                .doNotHaveFullyQualifiedName(IN_TRANSACTION_SINK)
                .and()
                .doNotHaveFullyQualifiedName(PROCESSED_EVENTS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.persistence..", "java.sql..", "org.eclipse.persistence..", "org.flywaydb..")
                .check(BUS);
    }

    @Test
    void theCoreIsFreeOfCdiAndJaxRs() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "com.idynic.eventbus.api..",
                        "com.idynic.eventbus.broker..",
                        "com.idynic.eventbus.subscribers..",
                        "com.idynic.eventbus.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.enterprise..",
                        "jakarta.inject..",
                        "jakarta.ws.rs..",
                        "jakarta.persistence..",
                        "jakarta.faces..",
                        "org.eclipse.microprofile..")
                .check(BUS);
    }

    @Test
    void theApiDependsOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("com.idynic.eventbus.api..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.idynic.eventbus.broker..",
                        "com.idynic.eventbus.subscribers..",
                        "com.idynic.eventbus.admin..",
                        "com.idynic.eventbus.storage..",
                        "com.idynic.eventbus.web..",
                        "com.idynic.eventbus.client..")
                .check(BUS);
    }

    /**
     * The operator's facade sits above the core and below storage and the web: admin → broker, subscribers, api. The
     * core never calls up into it, and it reaches the database only through its ports ({@code admin.spi}), so the
     * REST resources and the Faces console share its methods without either knowing storage.
     */
    @Test
    void theOperatorFacadeDependsOnTheCoreOnlyAndTheCoreNotOnIt() {
        noClasses()
                .that()
                .resideInAPackage("com.idynic.eventbus.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "com.idynic.eventbus.storage..", "com.idynic.eventbus.web..", "com.idynic.eventbus.client..")
                .check(BUS);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "com.idynic.eventbus.api..",
                        "com.idynic.eventbus.broker..",
                        "com.idynic.eventbus.subscribers..",
                        "com.idynic.eventbus.security..",
                        "com.idynic.eventbus.schema..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.idynic.eventbus.admin..")
                .check(BUS);
    }

    /**
     * The server reads MicroProfile Config in one class, which makes each module's settings record; every other
     * class is given the record. The client library, deployed in other apps, reads its own.
     */
    @Test
    void onlyTheSettingsProducerReadsConfiguration() {
        noClasses()
                .that()
                .resideOutsideOfPackages("com.idynic.eventbus.client..")
                .and()
                .doNotHaveFullyQualifiedName(SettingsWiring.class.getName())
                // a configuration source: it gives MicroProfile Config values (telemetry on or off), reads none
                .and()
                .doNotHaveFullyQualifiedName("com.idynic.eventbus.runtime.TelemetrySwitch")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.eclipse.microprofile.config..")
                .check(BUS);
    }

    /**
     * Classes that still read a storage SPI record; each is a debt to pay by giving its service a view type of its
     * module's API, as the dead-letter, event and retention services have. Do not add to this list.
     */
    static final List<String> STILL_ON_THE_SPI =
            List.of("com.idynic.eventbus.web.InProcessPulls", "com.idynic.eventbus.web.PullCalls");

    /**
     * The REST API renders what the services answer (their module's API types), never a storage port or record
     * ({@code ..spi..}), so the storage SPI can change without changing the JSON contract.
     */
    @Test
    void theRestApiReadsNoStorageSpiType() {
        noClasses()
                .that()
                .resideInAPackage("com.idynic.eventbus.web..")
                .and(not(oneOf(STILL_ON_THE_SPI)))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.idynic.eventbus..spi..")
                .check(BUS);
    }

    /** @return the classes named, and their nested and anonymous classes */
    static DescribedPredicate<JavaClass> oneOf(List<String> names) {
        return DescribedPredicate.describe("one of " + names, c -> names.stream()
                .anyMatch(n -> c.getName().equals(n) || c.getName().startsWith(n + "$")));
    }

    /**
     * {@code jakarta.json.Json}'s static factories look the JSON-P provider up on every call (a {@code ServiceLoader}
     * scan, about 100 µs): the bus goes through {@link CachedJson}, which looks it up once.
     */
    @Test
    void jsonProcessingGoesThroughTheCachedProvider() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(CachedJson.class.getName())
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("jakarta.json.Json")
                .check(BUS);
    }
}
