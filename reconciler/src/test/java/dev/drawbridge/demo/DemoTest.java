package dev.drawbridge.demo;

import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's demo tells its story: dev passes and is applied, production is blocked with reasons. */
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
            assertThat(text).contains("STAND-IN", "CVE-2026-1234", "image.age", "EXC-17", "EXC-42");
            assertThat(exit).isEqualTo(1);
            assertThat(text).contains("drawbridge/dev success: passed", "drawbridge/production failure: blocked: ",
                    "/environments/production/decisions/");
            assertThat(dev.client().apps().deployments().inNamespace("shop").withName("api").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .startsWith("harbor.example.com/dev/shop/api@sha256:");
            assertThat(production.writes()).as("production: only its decision record")
                    .allMatch(c -> c.path().contains("/decisionrecords") || c.path().endsWith("/namespaces/drawbridge-system"));
        }
    }
}
