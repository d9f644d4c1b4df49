package dev.drawbridge.policy;

import dev.drawbridge.yaml.YamlProblem;
import dev.drawbridge.yaml.YamlValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every bad policy is refused with file, line and key path; never read as "no policy". */
class PolicyValidationTest {

    private static final String HEADER = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: production}
            """;
    private static final String REGISTRIES = """
              registries:
                allow: ["harbor.example.com/prod/**"]
            """;

    private static List<String> problems(String yaml) {
        YamlValidationException e = catchThrowableOfType(YamlValidationException.class,
                () -> new PolicyLoader().load("policies/production.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as("expected the policy to be refused").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).toList();
    }

    /** A policy whose spec is {@code spec} (indented by two), after the header and the registries. */
    private static List<String> specProblems(String spec) {
        return problems(HEADER + "spec:\n" + REGISTRIES + spec);
    }

    @Test
    void refusesMalformedYaml() {
        assertThat(problems(HEADER + "spec:\n  mode: [enforce\n  scan: {}\n"))
                .singleElement().asString().startsWith("policies/production.yaml:").contains("malformed YAML");
    }

    @Test
    void refusesADuplicateKey() {
        assertThat(specProblems("  mode: warn\n  mode: enforce\n"))
                .containsExactly("policies/production.yaml:8: spec.mode: duplicate key \"mode\" (first at line 7)");
    }

    @Test
    @Timeout(5)
    void refusesAYamlBomb() {
        String bomb = """
                a: &a ["x","x","x","x","x","x","x","x","x","x"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
                """;
        assertThat(problems(bomb)).singleElement().asString().contains("alias");
    }

    @Test
    void refusesAnUnknownTopLevelKeyWithAHint() {
        assertThat(problems(HEADER + "spce:\n  mode: warn\n")).containsExactly(
                "policies/production.yaml:1: spec: is required",
                "policies/production.yaml:4: spce: unknown key (did you mean \"spec\"?)");
    }

    @Test
    void refusesUnknownKeysInSpecAndNestedWithTheirPath() {
        assertThat(specProblems("""
                  modes: warn
                  image:
                    requireDigests: true
                  scan:
                    max-age: 7d
                """)).containsExactly(
                "policies/production.yaml:7: spec.modes: unknown key (did you mean \"mode\"?)",
                "policies/production.yaml:9: spec.image.requireDigests: unknown key (did you mean \"requireDigest\"?)",
                "policies/production.yaml:11: spec.scan.max-age: unknown key (did you mean \"maxAge\"?)");
    }

    @Test
    void refusesAWrongApiVersionAndKind() {
        assertThat(problems("apiVersion: drawbridge.dev/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n" + REGISTRIES))
                .containsExactly(
                        "policies/production.yaml:1: apiVersion: expected \"drawbridge.dev/v1alpha1\", got \"drawbridge.dev/v1\"",
                        "policies/production.yaml:2: kind: expected \"GatePolicy\", got \"Policy\"");
    }

    @Test
    void refusesAMissingNameAndSpec() {
        assertThat(problems("apiVersion: drawbridge.dev/v1alpha1\nkind: GatePolicy\nmetadata: {}\n")).containsExactly(
                "policies/production.yaml:1: spec: is required",
                "policies/production.yaml:3: metadata.name: is required");
    }

    @Test
    void refusesABadMode() {
        assertThat(specProblems("  mode: block\n")).containsExactly(
                "policies/production.yaml:7: spec.mode: expected one of enforce, warn, got \"block\"");
    }

    @Test
    void refusesBadDurations() {
        assertThat(specProblems("""
                  image: {maxAge: -1d}
                  scan:
                    maxAge: 7 days
                """)).containsExactly(
                "policies/production.yaml:7: spec.image.maxAge: invalid duration \"-1d\": must not be negative",
                "policies/production.yaml:9: spec.scan.maxAge: invalid duration \"7 days\" (expected e.g. 30s, 15m, 12h, 7d)");
        assertThat(specProblems("  scan: {maxAge: 7x}\n")).containsExactly(
                "policies/production.yaml:7: spec.scan.maxAge: invalid duration \"7x\" (expected e.g. 30s, 15m, 12h, 7d)");
    }

    @Test
    void readsExceptionsWarnBeforeAndRefusesABadOne() throws Exception {
        GatePolicy policy = new PolicyLoader().load("policies/production.yaml",
                (HEADER + "spec:\n" + REGISTRIES + "  exceptionsWarnBefore: 14d\n").getBytes(StandardCharsets.UTF_8));
        assertThat(policy.exceptionsWarnBefore()).isEqualTo(java.time.Duration.ofDays(14));
        GatePolicy none = new PolicyLoader().load("policies/production.yaml",
                (HEADER + "spec:\n" + REGISTRIES).getBytes(StandardCharsets.UTF_8));
        assertThat(none.exceptionsWarnBefore()).isNull();
        assertThat(specProblems("  exceptionsWarnBefore: 2 weeks\n")).containsExactly(
                "policies/production.yaml:7: spec.exceptionsWarnBefore: invalid duration \"2 weeks\" (expected e.g. 30s, 15m, 12h, 7d)");
        assertThat(specProblems("  exceptionsWarnBefore: 0\n")).containsExactly(
                "policies/production.yaml:7: spec.exceptionsWarnBefore: invalid duration \"0\": must be greater than 0");
        assertThat(specProblems("  exceptionWarnBefore: 14d\n")).singleElement().asString()
                .startsWith("policies/production.yaml:7: spec.exceptionWarnBefore: unknown key (did you mean \"exceptionsWarnBefore\"?)");
    }

    @Test
    void refusesUnknownAndLowercaseSeverities() {
        assertThat(specProblems("""
                  scan:
                    blockSeverities: [CRITICAL, SEVERE]
                    blockUnfixedSeverities:
                      - critical
                """)).containsExactly(
                "policies/production.yaml:8: spec.scan.blockSeverities[1]: unknown severity \"SEVERE\" "
                        + "(expected one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)",
                "policies/production.yaml:10: spec.scan.blockUnfixedSeverities[0]: unknown severity \"critical\" "
                        + "(did you mean \"CRITICAL\"?) (expected one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN)");
    }

    @Test
    void refusesAnExceptionWithoutExpiryOwnerOrReason() {
        assertThat(specProblems("""
                  exceptions:
                    - id: EXC-1
                      vulnerability: CVE-2026-1
                      reason: "  "
                """)).containsExactly(
                "policies/production.yaml:8: spec.exceptions[0].owner: is required",
                "policies/production.yaml:8: spec.exceptions[0].expires: is required",
                "policies/production.yaml:10: spec.exceptions[0].reason: must not be empty");
    }

    @Test
    void refusesABadExpiryDate() {
        assertThat(specProblems(exception("EXC-1", "expires: 2027-13-01"))).containsExactly(
                "policies/production.yaml:12: spec.exceptions[0].expires: invalid date \"2027-13-01\" "
                        + "(expected YYYY-MM-DD, e.g. 2027-01-31)");
        assertThat(specProblems(exception("EXC-1", "expires: 2027-02-30"))).hasSize(1);
        assertThat(specProblems(exception("EXC-1", "expires: 31.01.2027"))).hasSize(1);
    }

    @Test
    void refusesADuplicateExceptionId() {
        assertThat(specProblems(exception("EXC-1", "expires: 2027-01-31")
                + exception("EXC-1", "expires: 2027-01-31").replace("  exceptions:\n", ""))).containsExactly(
                "policies/production.yaml:13: spec.exceptions[1].id: duplicate exception id \"EXC-1\" (first at line 8)");
    }

    @Test
    void refusesABadVulnerabilityId() {
        assertThat(specProblems(exception("EXC-1", "expires: 2027-01-31").replace("CVE-2026-1", "CVE 2026/1")))
                .containsExactly("policies/production.yaml:9: spec.exceptions[0].vulnerability: invalid vulnerability id "
                        + "\"CVE 2026/1\" (expected e.g. CVE-2026-1234 or GHSA-xxxx-xxxx-xxxx)");
    }

    @Test
    void refusesABadRegistryGlob() {
        assertThat(problems(HEADER + "spec:\n  registries:\n    allow: [\"harbor.example.com/prod/**\", \"https://x.io/a\", \"**/a\"]\n"))
                .containsExactly(
                        "policies/production.yaml:6: spec.registries.allow[1]: invalid registry glob 'https://x.io/a' "
                                + "(expected host/path segments such as harbor.example.com/prod/**)",
                        "policies/production.yaml:6: spec.registries.allow[2]: invalid registry glob '**/a': the host cannot be **");
    }

    @Test
    void refusesABadImageInAnException() {
        assertThat(specProblems(exception("EXC-1", "expires: 2027-01-31\n      images: [\"Harbor.example.com/Prod/API\"]")))
                .singleElement().asString()
                .startsWith("policies/production.yaml:13: spec.exceptions[0].images[0]: invalid image reference");
        assertThat(specProblems(exception("EXC-1", "expires: 2027-01-31\n      images: []"))).containsExactly(
                "policies/production.yaml:13: spec.exceptions[0].images: must list at least one image; "
                        + "leave images out to apply to every image");
    }

    @Test
    void refusesAValueWhereAListIsExpected() {
        assertThat(problems(HEADER + "spec:\n  registries:\n    allow: harbor.example.com/prod/**\n"
                + "  exceptions: {id: EXC-1}\n")).containsExactly(
                "policies/production.yaml:6: spec.registries.allow: expected a list, got a value",
                "policies/production.yaml:7: spec.exceptions: expected a list, got a mapping");
    }

    @Test
    void refusesAMissingRegistryList() {
        assertThat(problems(HEADER + "spec:\n  mode: warn\n")).containsExactly(
                "policies/production.yaml:5: spec.registries.allow: is required (list the registries images may come from)");
    }

    @Test
    void refusesAnEmptyFile() {
        assertThat(problems("")).containsExactly("policies/production.yaml:1: the file is empty (expected a YAML document)");
    }

    @Test
    void refusesASecondYamlDocument() {
        assertThat(problems(HEADER + "spec:\n" + REGISTRIES + "---\n" + HEADER)).singleElement().asString()
                .isEqualTo("policies/production.yaml:8: a second YAML document starts here; put exactly one document in the file");
    }

    @Test
    void refusesAListAtTheTop() {
        assertThat(problems("- a\n")).first().asString()
                .isEqualTo("policies/production.yaml:1: expected a mapping of keys at the top of the file, got a list");
    }

    @Test
    void reportsEveryProblemOfAFileAtOnce() {
        assertThatThrownBy(() -> new PolicyLoader().load("p.yaml", ("""
                apiVersion: v1
                kind: GatePolicy
                metadata: {name: p}
                spec:
                  mode: strict
                  registries: {allow: []}
                  scan: {required: yes}
                """).getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(YamlValidationException.class)
                .hasMessage("""
                        p.yaml:1: apiVersion: expected "drawbridge.dev/v1alpha1", got "v1"
                        p.yaml:5: spec.mode: expected one of enforce, warn, got "strict"
                        p.yaml:7: spec.scan.required: expected true or false, got "yes\"""");
    }

    /** An exceptions list with one entry (lines 7 to 12 after the header and registries). */
    private static String exception(String id, String last) {
        return """
                  exceptions:
                    - id: %s
                      vulnerability: CVE-2026-1
                      reason: accepted
                      owner: team-shop
                      %s
                """.formatted(id, last);
    }
}
