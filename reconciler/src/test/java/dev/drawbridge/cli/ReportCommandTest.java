package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.demo.Demo;
import dev.drawbridge.insight.Rfc4180;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report} end to end over the example repository of {@code scripts/demo} (three environments, two teams,
 * the registry stand-in), plus an environment whose policy does not validate: its error, with commas, quotes and
 * a line break, travels through every format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest {

    static final Set<String> PRIORITY_FIELDS = Set.of("rank", "finding", "rule", "severity", "fixable", "fix", "images",
            "teams", "environments", "workloads", "blocking");
    static final Set<String> TEAM_FIELDS = Set.of("team", "images", "passing", "blocked", "warned", "fixableCriticalHigh",
            "exceptions", "nextExpiry", "medianTimeToFixHours", "daysSinceProductionBlock", "rank");
    static final String BAD_POLICY = """
            apiVersion: drawbridge.dev/v1alpha1
            kind: GatePolicy
            metadata: {name: staging}
            spec:
              mode: sometimes
              registries:
                allow: ["harbor.example.com/dev/**"]
              scan:
                maxAge: 7 days
            """;

    Path work;
    HarborStandIn registry;
    List<ApplyingMockServer> clusters = new ArrayList<>();
    Path config;
    Run json;
    Run csv;
    Run markdown;
    Run text;

    @BeforeAll
    void demoRepository() throws Exception {
        work = Files.createTempDirectory("report-test-");
        registry = HarborStandIn.start();
        Map<String, ApplyingMockServer> byEnv = Map.of("dev", start(), "acceptance", start(), "production", start());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new Demo(GitFixtures.projectRoot(), work, Clock.systemUTC(), quiet).run(registry, byEnv);
        try (GitFixtures repo = GitFixtures.open(work.resolve("deploy"))) {
            repo.checkout("main");
            repo.write("policies/staging.yaml", BAD_POLICY);
            repo.commitAll("a staging policy that does not validate");
        }
        // staging first: closest to dev, so its error does not outrank production's findings
        String text = Files.readString(work.resolve("drawbridge.yaml")).replace("  - name: dev\n", """
                  - name: staging
                    branch: env/dev
                    path: manifests-example/overlays/dev
                    cluster: {kubeconfig: kubeconfig-dev, context: mock}
                  - name: dev
                """);
        config = work.resolve("report.yaml");
        Files.writeString(config, text);
        json = report("--config", config.toString(), "--format", "json");
        csv = report("--config", config.toString(), "--format", "csv");
        markdown = report("--config", config.toString(), "--format", "markdown");
        this.text = report("--config", config.toString());
    }

    private ApplyingMockServer start() {
        ApplyingMockServer server = ApplyingMockServer.start();
        clusters.add(server);
        return server;
    }

    @AfterAll
    void stop() {
        clusters.forEach(ApplyingMockServer::close);
        registry.close();
        WorkDirs.deleteQuietly(work);
    }

    record Run(int exit, String out, String err) {
    }

    static Run report(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void jsonPutsProductionsCriticalOpensslFixFirstWithExactlyTheDocumentedFields() throws Exception {
        Run run = json;
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(fields(root)).containsExactly("priorities", "teams");

        JsonNode first = root.path("priorities").get(0);
        assertThat(fields(first)).isEqualTo(new TreeSet<>(PRIORITY_FIELDS));
        assertThat(first.path("rank").asInt()).isEqualTo(1);
        assertThat(first.path("finding").asText()).isEqualTo("CVE-2026-1234");
        assertThat(first.path("rule").asText()).isEqualTo("scan.severity");
        assertThat(first.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(first.path("fixable").asBoolean()).isTrue();
        assertThat(first.path("blocking").asBoolean()).isTrue();
        assertThat(first.path("fix").asText()).startsWith("update openssl to 3.0.15 in ")
                .contains("harbor.example.com/prod/shop/api");
        assertThat(first.path("environments").get(0).asText()).isEqualTo("production");
        assertThat(first.path("teams").toString()).contains("team-shop");
        assertThat(first.path("workloads").asInt()).isPositive();
        for (JsonNode row : root.path("priorities")) {
            assertThat(fields(row)).isEqualTo(new TreeSet<>(PRIORITY_FIELDS));
        }

        JsonNode teams = root.path("teams");
        assertThat(teams).isNotEmpty();
        for (JsonNode row : teams) {
            assertThat(fields(row)).isEqualTo(new TreeSet<>(TEAM_FIELDS));
        }
        JsonNode payments = find(teams, "team-payments");
        assertThat(payments.path("exceptions").asInt()).isZero(); // EXC-17 expired
        JsonNode shop = find(teams, "team-shop");
        assertThat(shop.path("blocked").asInt()).isPositive();
        assertThat(shop.path("daysSinceProductionBlock").asLong()).isZero();
        assertThat(shop.path("exceptions").asInt()).isEqualTo(1); // EXC-42, 61 days left whatever the day (the demo moves it)
        assertThat(shop.path("nextExpiry").asText()).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(
                java.time.temporal.ChronoUnit.DAYS.between(GitFixtures.EXAMPLE_POLICIES_WRITTEN, java.time.LocalDate.of(2027, 1, 31)))
                .toString());
        assertThat(shop.has("medianTimeToFixHours")).isTrue();

        JsonNode staging = find(root.path("priorities"), "gate.error");
        assertThat(staging.path("environments").toString()).isEqualTo("[\"staging\"]");
        assertThat(staging.path("fixable").asBoolean()).isFalse();
        assertThat(run.err()).contains("staging: policies/staging.yaml:5: spec.mode");
    }

    @Test
    void csvIsRfc4180WithAHeaderAndTheErrorsCommasQuotesAndLineBreaksIntact() throws Exception {
        assertThat(csv.exit()).as(csv.err()).isZero();

        List<List<String>> rows = Rfc4180.parse(csv.out());
        JsonNode priorities = new ObjectMapper().readTree(json.out()).path("priorities");
        assertThat(rows.get(0)).startsWith("rank", "finding", "rule", "severity", "fixable", "fix");
        assertThat(rows).hasSize(priorities.size() + 1);
        assertThat(rows.get(1).subList(0, 3)).containsExactly("1", "CVE-2026-1234", "scan.severity");
        List<String> staging = rows.stream().filter(r -> r.get(1).equals("gate.error")).findFirst().orElseThrow();
        String fix = staging.get(5);
        assertThat(fix).contains(",", "\"", "\n").contains("invalid duration \"7 days\" (expected e.g. 30s, 15m, 12h, 7d)");
        assertThat(fix).isEqualTo(find(priorities, "gate.error").path("fix").asText());
    }

    @Test
    void markdownPrintsBothTablesAndTextIsReadable() {
        assertThat(markdown.exit()).isZero();
        assertThat(markdown.out()).contains("## Priorities", "## Teams", "| 1 | CVE-2026-1234 (scan.severity) | CRITICAL | yes |",
                "| team-shop |");
        assertThat(markdown.out().lines().filter(l -> l.startsWith("| ") && l.contains("gate.error")).count()).isEqualTo(1);

        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains(" 1. CVE-2026-1234 CRITICAL BLOCKING", "update openssl to 3.0.15",
                "unblocks ", "Teams (best first)", "team-payments");
    }

    @Test
    void helpExitsZeroAndBadInputExitsTwo() throws Exception {
        Run help = report("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: drawbridge report --config FILE [--format text|markdown|csv|json]");

        Run format = report("--config", config.toString(), "--format", "xlsx");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("'--format': 'xlsx'");

        Path bad = work.resolve("bad.yaml");
        Files.writeString(bad, "git:\n  url: file:///nowhere\nenvironments: []\nunknown: 1\n");
        Run config = report("--config", bad.toString());
        assertThat(config.exit()).isEqualTo(2);
        assertThat(config.err()).contains(bad.toString());
        assertThat(config.out()).isEmpty();
    }

    private static JsonNode find(JsonNode rows, String name) {
        for (JsonNode row : rows) {
            if (name.equals(row.path("finding").asText(null)) || name.equals(row.path("team").asText(null))) {
                return row;
            }
        }
        throw new AssertionError(name + " not in " + rows);
    }
}
