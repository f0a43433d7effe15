package com.idynic.eventbus.console;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The console is a caller of the services like the REST API: it sees their API types, no storage SPI type. */
class ConsoleArchitectureTest {
    /**
     * Every bean reads the view records the services answer with (as {@code DeliveryView}, {@code ReplayView},
     * {@code ApiKeyView}, {@code CatalogSample}), so a storage record can change without changing a page.
     */
    @Test
    void theConsoleReadsNoStorageSpiType() {
        noClasses()
                .that()
                .resideInAPackage("com.idynic.eventbus.console..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("com.idynic.eventbus..spi..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("com.idynic.eventbus.console"));
    }
}
