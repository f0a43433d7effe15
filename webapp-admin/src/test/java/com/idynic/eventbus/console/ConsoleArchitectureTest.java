package com.idynic.eventbus.console;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console is a caller of the services like the REST API: it sees their API types, no storage SPI type. */
class ConsoleArchitectureTest {
    /**
     * Beans that still read a storage SPI record; each is a debt to pay by giving its service a view type of its
     * module's API, as the dead-letter, event and retention services have. Do not add to this list.
     */
    static final List<String> STILL_ON_THE_SPI = List.of(
            "com.idynic.eventbus.console.CatalogView",
            "com.idynic.eventbus.console.ReplaysView",
            "com.idynic.eventbus.console.ServicesView");

    @Test
    void theConsoleReadsNoStorageSpiType() {
        noClasses()
                .that()
                .resideInAPackage("com.idynic.eventbus.console..")
                .and(not(DescribedPredicate.describe(
                        "one of " + STILL_ON_THE_SPI, (JavaClass c) -> STILL_ON_THE_SPI.stream()
                                .anyMatch(n ->
                                        c.getName().equals(n) || c.getName().startsWith(n + "$")))))
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.idynic.eventbus..spi..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.idynic.eventbus.console"));
    }
}
