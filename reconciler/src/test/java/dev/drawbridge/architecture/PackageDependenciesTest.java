package dev.drawbridge.architecture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.drawbridge.apply.ApplyOrder;
import dev.drawbridge.apply.Cluster;
import dev.drawbridge.apply.KubernetesApplier;
import dev.drawbridge.apply.Manifests;
import dev.drawbridge.apply.ObjectRef;
import dev.drawbridge.apply.ReadAhead;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;

import java.security.MessageDigest;

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
        String[] internal = {"image", "source", "render", "registry", "policy", "gate", "apply", "decision", "report",
                "reconcile", "promotion", "config", "web", "cli", "yaml", "insight", "json", "redact", "retry"};
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
    void imageSourceAndTheSharedPackagesDependOnNothingInternal() {
        onlyDependsOn("image");
        onlyDependsOn("source", "redact");
        onlyDependsOn("yaml");
        onlyDependsOn("json");
        onlyDependsOn("redact");
        // the small value types (EnvironmentName, CommitId): not in the list above, so every package may use them
        onlyDependsOn("values");
        // thread pools whose size does not follow the load (KeptThreads): not in the list above, so every package may use them
        onlyDependsOn("threads");
    }

    @Test
    void retriesDependOnNothingInternalSoThatEveryStageMayUseThem() {
        // the one backoff, Sleeper, bounded worker and journal of owed deliveries (docs/retries.md); JSON for the journal
        onlyDependsOn("retry", "json");
    }

    @Test
    void hashingDependsOnNothingInternalAndIsTheOnlyPlaceThatAsksForADigest() {
        // dev.drawbridge.hash.Sha256 is a leaf every package may use, and the one way the project hashes
        noClasses().that().resideInAPackage("dev.drawbridge.hash..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.drawbridge..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.drawbridge.hash..")))
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.hash..")
                .should().callMethod(MessageDigest.class, "getInstance", String.class)
                .orShould().callMethod(MessageDigest.class, "getInstance", String.class, String.class)
                .orShould().callMethod(MessageDigest.class, "getInstance", String.class, java.security.Provider.class)
                .check(classes);
    }

    @Test
    void stagesDependOnlyOnWhatStyleAllows() {
        onlyDependsOn("render", "source", "yaml");
        onlyDependsOn("registry", "image", "json");
        onlyDependsOn("policy", "image", "yaml");
        onlyDependsOn("gate", "image", "registry", "policy", "yaml");
        onlyDependsOn("report", "gate", "apply", "image", "registry", "policy", "json", "redact", "retry");
        onlyDependsOn("insight", "gate", "image", "policy", "apply", "decision", "json");
    }

    @Test
    void decisionRecordsAreKeptOverTheClustersOfApplyWhichKnowsNothingOfThem() {
        // the records of what was decided and posted (docs/architecture.md), over apply's clients and Cluster
        onlyDependsOn("decision", "apply", "json");
        onlyDependsOn("apply", "hash", "json", "retry");
    }

    @Test
    void theInsidesOfApplyServeApplyAndTheDecisionRecordsOnly() {
        // inventory and pruning, health and waits: parts of an apply, not of each other, not used from outside
        noClasses().that().resideInAPackage("dev.drawbridge.apply.inventory..")
                .should().dependOnClassesThat().resideInAPackage("dev.drawbridge.apply.health..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.drawbridge.apply.health..")
                .should().dependOnClassesThat().resideInAPackage("dev.drawbridge.apply.inventory..")
                .check(classes);
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.apply..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.drawbridge.apply.inventory..", "dev.drawbridge.apply.health..")
                .check(classes);
        // what these sub-packages and decision share with apply is public for them alone (the Fabric8 side of apply)
        noClasses().that().resideOutsideOfPackages("dev.drawbridge.apply..", "dev.drawbridge.decision..")
                .should().dependOnClassesThat().belongToAnyOf(Cluster.class, ObjectRef.class, Manifests.class,
                        ReadAhead.class, ApplyOrder.class, KubernetesApplier.Failure.class)
                .check(classes);
    }

    @Test
    void promotionBuildsOnTheEngineAndNothingButTheFrontEndsBuildOnIt() {
        onlyDependsOn("promotion", "reconcile", "report", "source", "gate", "apply", "decision", "image", "config", "retry");
        noClasses().that().resideInAnyPackage("dev.drawbridge.image..", "dev.drawbridge.source..",
                        "dev.drawbridge.render..", "dev.drawbridge.registry..", "dev.drawbridge.policy..",
                        "dev.drawbridge.gate..", "dev.drawbridge.apply..", "dev.drawbridge.decision..", "dev.drawbridge.report..",
                        "dev.drawbridge.reconcile..", "dev.drawbridge.config..", "dev.drawbridge.yaml..",
                        "dev.drawbridge.json..", "dev.drawbridge.redact..")
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
        noClasses().that().resideOutsideOfPackages("dev.drawbridge.apply..", "dev.drawbridge.decision..")
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
    void onlyTheJsonPackageCreatesObjectMappers() {
        // one configured mapper per purpose (json.Mappers, docs/internals.md), not one per class
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.json..")
                .should().callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                        JavaClass.Predicates.assignableTo(ObjectMapper.class))))
                .check(classes);
    }

    @Test
    void onlyTheYamlPackageSetsUpYamlParsers() {
        // one hardened loader with named limits (yaml.YamlLoader, yaml.YamlLimits, docs/internals.md)
        noClasses().that().resideOutsideOfPackage("dev.drawbridge.yaml..")
                .should().callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                        JavaClass.Predicates.assignableTo(LoaderOptions.class)
                                .or(JavaClass.Predicates.assignableTo(Yaml.class))
                                .or(JavaClass.Predicates.assignableTo(ParserImpl.class))
                                .or(JavaClass.Predicates.assignableTo(Composer.class))
                                .or(JavaClass.Predicates.assignableTo(YAMLFactory.class)))))
                .check(classes);
    }

    @Test
    void noCycles() {
        slices().matching("dev.drawbridge.(*)..").should().beFreeOfCycles().check(classes);
    }
}
