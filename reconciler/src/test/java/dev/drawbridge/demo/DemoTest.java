package dev.drawbridge.demo;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.insight.Priority;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo tells its story: dev passes and is applied, production is blocked with reasons, and the
 * promotion acceptance -> production shows what it would merge and that production's gate blocks it.
 */
class DemoTest {

    @TempDir
    Path work;

    @Test
    void devPassesAndIsAppliedWhileProductionIsBlockedWithReasons() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Demo demo = new Demo(GitFixtures.projectRoot(), work, Clock.systemUTC(), out);
        try (HarborStandIn registry = HarborStandIn.start();
             ApplyingMockServer dev = ApplyingMockServer.start();
             ApplyingMockServer acceptance = ApplyingMockServer.start();
             ApplyingMockServer production = ApplyingMockServer.start()) {
            Map<String, GateReport> reports = demo.run(registry,
                    Map.of("dev", dev, "acceptance", acceptance, "production", production));
            int exit = demo.reconcile();
            String productionBefore;
            try (GitFixtures repo = GitFixtures.open(work.resolve("deploy"))) {
                productionBefore = repo.head("env/production");
            }
            int promoted = demo.promote();
            demo.printNotes();
            Insight insight = demo.printInsight();
            String text = bytes.toString(StandardCharsets.UTF_8);

            Priority first = insight.priorities().get(0);
            assertThat(first.finding()).isEqualTo(Demo.FIRST_PRIORITY);
            assertThat(first.environments()).first().isEqualTo("production");
            assertThat(first.blocking()).isTrue();
            assertThat(first.fix()).startsWith("update openssl to 3.0.15 in ");
            assertThat(insight.team("team-shop").orElseThrow().daysSinceProductionBlock()).isZero();
            assertThat(text).contains("Priorities (", " 1. CVE-2026-1234 CRITICAL BLOCKING", "Teams (best first)",
                    "team-shop", "team-payments");
            assertThat(text.indexOf("Priorities (")).isGreaterThan(text.indexOf("drawbridge/production failure"));

            assertThat(reports.get("dev").result().decision()).isEqualTo(Decision.PASS);
            assertThat(reports.get("production").result().decision()).isEqualTo(Decision.BLOCK);
            assertThat(text).contains("STAND-IN", "CVE-2026-1234", "image.age");
            assertStory(reports);
            assertThat(exit).isEqualTo(1);
            assertThat(text).contains("drawbridge/dev success: passed", "drawbridge/production failure: blocked: ",
                    "/environments/production/decisions/");
            assertThat(dev.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .startsWith("harbor.example.com/dev/shop/api@sha256:");
            // the promotion acceptance -> production: what promote would merge, and why production's gate blocks it
            assertThat(promoted).isEqualTo(1);
            String promotion = text.substring(text.indexOf("== drawbridge promote"));
            assertThat(promotion).contains("promote acceptance -> production: blocked — production's gate blocks acceptance@",
                    "nothing pushed", "| image | digest | in production | production's gate |",
                    "| `harbor.example.com/prod/shop/api:1.4.2` |", "`manifests-example/base/shop/configmap.yaml`",
                    "/environments/acceptance/decisions/", "**production's gate:** BLOCK",
                    "CVE-2026-1234", "promotion.evidence");
            try (GitFixtures repo = GitFixtures.open(work.resolve("deploy"))) {
                assertThat(repo.head("env/production")).as("nothing pushed to production").isEqualTo(productionBefore);
            }
            assertThat(production.writes()).as("production: only its decision record")
                    .allMatch(c -> c.path().contains("/decisionrecords") || c.path().endsWith("/namespaces/drawbridge-system"));
        }
    }

    @Test
    void theStoryIsTheSameOnAnyDayTheDemoRuns() throws Exception {
        Clock later = Clock.fixed(Instant.parse("2029-07-15T09:00:00Z"), ZoneOffset.UTC);
        Demo demo = new Demo(GitFixtures.projectRoot(), work, later, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        try (HarborStandIn registry = HarborStandIn.start();
             ApplyingMockServer dev = ApplyingMockServer.start();
             ApplyingMockServer acceptance = ApplyingMockServer.start();
             ApplyingMockServer production = ApplyingMockServer.start()) {
            assertStory(demo.run(registry, Map.of("dev", dev, "acceptance", acceptance, "production", production)));
        }
    }

    /** dev and acceptance pass; production is blocked by a fixable CRITICAL, an old image, an expired exception; one is accepted. */
    private static void assertStory(Map<String, GateReport> reports) {
        assertThat(reports.get("dev").result().decision()).isEqualTo(Decision.PASS);
        assertThat(reports.get("acceptance").result().decision()).isEqualTo(Decision.PASS);
        GateResult production = reports.get("production").result();
        assertThat(production.decision()).isEqualTo(Decision.BLOCK);
        List<Violation> violations = production.images().stream().flatMap(i -> i.violations().stream()).toList();
        assertThat(violations).anySatisfy(v -> {
            assertThat(v.rule()).isEqualTo("scan.severity");
            assertThat(v.id()).isEqualTo("CVE-2026-1234");
        });
        assertThat(violations).anySatisfy(v -> assertThat(v.rule()).isEqualTo("image.age"));
        assertThat(violations).as("the expired exception is named")
                .anySatisfy(v -> {
                    assertThat(v.rule()).isEqualTo("exception.expired");
                    assertThat(v.message()).contains("EXC-17");
                });
        assertThat(production.images()).as("the accepted exception still applies")
                .anySatisfy(i -> assertThat(i.accepted()).anyMatch(a -> a.startsWith("CVE-2026-5678 accepted by EXC-42")));
    }
}
