package dev.drawbridge.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package dependencies of docs/architecture.md, checked in the build. */
class PackageDependenciesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.drawbridge");
    }

    private static void onlyDependsOn(String pkg, String... allowed) {
        String[] internal = {"image", "source", "render", "registry", "policy", "gate", "apply", "report",
                "reconcile", "promotion", "config", "web", "cli", "yaml", "insight", "retry"};
        java.util.List<String> forbidden = new java.util.ArrayList<>();
        for (String p : internal) {
            if (!p.equals(pkg) && !java.util.Arrays.asList(allowed).contains(p)) {
                forbidden.add("dev.drawbridge." + p + "..");
            }
        }
        noClasses().that().resideInAPackage("dev.drawbridge." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void imageAndSourceDependOnNothingInternal() {
        onlyDependsOn("image");
        onlyDependsOn("source");
        onlyDependsOn("yaml");
    }

    @Test
    void retriesDependOnNothingInternalSoThatEveryStageMayUseThem() {
        // the one backoff, Sleeper, bounded worker and journal of owed deliveries (docs/retries.md)
        onlyDependsOn("retry");
    }

    @Test
    void stagesDependOnlyOnWhatStyleAllows() {
        onlyDependsOn("render", "source");
        onlyDependsOn("registry", "image");
        onlyDependsOn("policy", "image", "yaml");
        onlyDependsOn("gate", "image", "registry", "policy", "yaml");
        onlyDependsOn("report", "gate", "apply", "image", "registry", "policy", "retry");
        onlyDependsOn("insight", "gate", "image", "policy", "apply");
    }

    @Test
    void promotionBuildsOnTheEngineAndNothingButTheFrontEndsBuildOnIt() {
        onlyDependsOn("promotion", "reconcile", "report", "source", "gate", "apply", "image", "config", "retry");
        noClasses().that().resideInAnyPackage("dev.drawbridge.image..", "dev.drawbridge.source..",
                        "dev.drawbridge.render..", "dev.drawbridge.registry..", "dev.drawbridge.policy..",
                        "dev.drawbridge.gate..", "dev.drawbridge.apply..", "dev.drawbridge.report..",
                        "dev.drawbridge.reconcile..", "dev.drawbridge.config..", "dev.drawbridge.yaml..")
                .should().dependOnClassesThat().resideInAPackage("dev.drawbridge.promotion..")
                .check(classes);
    }

    @Test
    void theEngineHasNoSpringTypes() {
        noClasses().that().resideOutsideOfPackages("dev.drawbridge.web..", "dev.drawbridge.config.spring..")
                .should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void thirdPartyLibrariesStayInTheirPackage() {
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.source..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.source..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.sshd..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.apply..")
                .should().dependOnClassesThat().resideInAPackage("io.fabric8..")
                .allowEmptyShould(true)
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.render..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder")
                .check(classes);
        // the pages' templates (jte) are rendered by web only
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.web..")
                .should().dependOnClassesThat().resideInAPackage("gg.jte..")
                .check(classes);
    }

    @Test
    void noCycles() {
        slices().matching("dev.drawbridge.(*)..").should().beFreeOfCycles().check(classes);
    }
}
