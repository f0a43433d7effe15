package com.idynic.eventbus.web;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module walls that module-info cannot enforce at run time (Liberty loads EAR jars unnamed). */
class ArchitectureTest {
    static final JavaClasses BUS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.idynic.eventbus");

    @Test
    void onlyStorageKnowsJpaAndSql() {
        noClasses()
                .that()
                .resideOutsideOfPackages("com.idynic.eventbus.storage..", "com.idynic.eventbus.client..")
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
                        "com.idynic.eventbus.subscribers..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta.enterprise..", "jakarta.inject..", "jakarta.ws.rs..", "jakarta.persistence..")
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
                        "com.idynic.eventbus.storage..",
                        "com.idynic.eventbus.web..",
                        "com.idynic.eventbus.client..")
                .check(BUS);
    }
}
