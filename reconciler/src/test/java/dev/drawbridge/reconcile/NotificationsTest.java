package dev.drawbridge.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.drawbridge.apply.Action;
import dev.drawbridge.apply.ChangeSet;
import dev.drawbridge.apply.ChangeSetEntry;
import dev.drawbridge.config.ClusterConfig;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.report.notify.Notification;
import dev.drawbridge.report.notify.Notification.Kind;
import dev.drawbridge.report.notify.Notifier;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Only changes of outcome are told, to the owning teams and the environments asked for. */
class NotificationsTest {

    static final String SHA = "4f2c1a9b0e3d5f6a7b8c9d0e1f2a3b4c5d6e7f80";
    static final String NEXT = "5e3d2b0a1f4e6a7b8c9d0e1f2a3b4c5d6e7f8091";
    static final EnvironmentConfig PRODUCTION = env("production");
    static final EnvironmentConfig DEV = env("dev");
    static final Owners OWNERS = new Owners(Map.of(
            "apps/v1/Deployment/shop/api", "team-shop", "Deployment/shop/api", "team-shop",
            "apps/v1/Deployment/payments/ledger", "team-payments", "Deployment/payments/ledger", "team-payments"));

    final Recorder everything = new Recorder("everything");
    final Recorder shop = new Recorder("shop");
    final Recorder payments = new Recorder("payments");
    final Recorder devOnly = new Recorder("dev-only");
    final Notifications notifications = new Notifications(List.of(
            new Notifications.Route(everything, Set.of(), Set.of()),
            new Notifications.Route(shop, Set.of("team-shop"), Set.of()),
            new Notifications.Route(payments, Set.of("team-payments"), Set.of(EnvironmentName.of("production"))),
            new Notifications.Route(devOnly, Set.of(), Set.of(EnvironmentName.of("dev")))),
            env -> OWNERS, URI.create("https://drawbridge.example.com/"));

    @TempDir
    Path dir;

    static EnvironmentConfig env(String name) {
        return new EnvironmentConfig(EnvironmentName.of(name), "env/" + name, "overlays/" + name, ClusterConfig.DEFAULT, true,
                Duration.ofMinutes(1), null, false, false, Duration.ofMinutes(5), List.of());
    }

    static ImageVerdict image(String name, String workload, Verdict verdict, Violation... violations) {
        return new ImageVerdict("harbor.example.com/prod/" + name + ":1.0", ImageReference.parse("harbor.example.com/prod/" + name + ":1.0"),
                Digest.of("sha256:" + "c".repeat(64)), List.of(workload), verdict, List.of(violations), List.of());
    }

    static ImageVerdict api(Verdict verdict) {
        return verdict == Verdict.BLOCK
                ? image("shop/api", "apps/v1/Deployment/shop/api", verdict, new Violation("scan.severity",
                "CVE-2026-1234 CRITICAL in openssl", "update openssl", "CVE-2026-1234", Severity.CRITICAL, "openssl", "3.0.15"))
                : image("shop/api", "apps/v1/Deployment/shop/api", verdict);
    }

    static ImageVerdict ledger(Verdict verdict) {
        return verdict == Verdict.ERROR
                ? image("payments/ledger", "apps/v1/Deployment/payments/ledger", verdict, Violation.of("registry.unverified",
                "could not verify harbor.example.com/prod/payments/ledger:1.0: registry timed out", "retry"))
                : image("payments/ledger", "apps/v1/Deployment/payments/ledger", verdict);
    }

    static GateReport report(EnvironmentConfig env, String sha, Decision decision, ImageVerdict... images) {
        return new GateReport(env.name(), CommitId.of(sha), "b".repeat(40), env.path(),
                new GateResult(decision, List.of(images), List.of(), List.of(), List.of()));
    }

    static ReconcileOutcome passed(EnvironmentConfig env, String sha, ChangeSetEntry... changes) {
        return new ReconcileOutcome.Applied(report(env, sha, Decision.PASS, api(Verdict.PASS), ledger(Verdict.PASS)),
                new ChangeSet(List.of(changes)));
    }

    static ReconcileOutcome blocked(EnvironmentConfig env, String sha) {
        return new ReconcileOutcome.Blocked(report(env, sha, Decision.BLOCK, api(Verdict.BLOCK), ledger(Verdict.PASS)));
    }

    static ReconcileOutcome ledgerUnverified(EnvironmentConfig env, String sha) {
        return new ReconcileOutcome.Failed(report(env, sha, Decision.ERROR, api(Verdict.PASS), ledger(Verdict.ERROR)),
                Reason.GATE_ERROR, "could not verify", ChangeSet.empty());
    }

    void reconciled(EnvironmentConfig env, ReconcileOutcome outcome) {
        notifications.reconciled(env, outcome, Duration.ofSeconds(1));
    }

    @Test
    void notifiesBlockedOnceThenNothingWhileItStaysBlockedThenUnblocked() {
        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        assertThat(everything.sent).isEmpty();

        reconciled(PRODUCTION, blocked(PRODUCTION, NEXT));
        assertThat(everything.sent).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.BLOCKED);
            assertThat(n.environment().value()).isEqualTo("production");
            assertThat(n.revision()).isEqualTo(NEXT);
            assertThat(n.description()).isEqualTo("blocked: prod/shop/api CVE-2026-1234 CRITICAL (fix 3.0.15)");
            assertThat(n.owners()).containsExactly("team-shop");
            assertThat(n.link()).isEqualTo("https://drawbridge.example.com/environments/production/decisions/" + NEXT);
        });

        reconciled(PRODUCTION, blocked(PRODUCTION, NEXT));
        reconciled(PRODUCTION, blocked(PRODUCTION, NEXT));
        assertThat(everything.kinds()).containsExactly(Kind.BLOCKED);

        reconciled(PRODUCTION, passed(PRODUCTION, SHA, new ChangeSetEntry("Deployment/shop/api", Action.CONFIGURED, false)));
        assertThat(everything.kinds()).containsExactly(Kind.BLOCKED, Kind.UNBLOCKED);
        assertThat(everything.sent.get(1).description()).isEqualTo("applied: 1 configured");
        assertThat(everything.sent.get(1).owners()).containsExactly("team-shop");

        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        assertThat(everything.kinds()).containsExactly(Kind.BLOCKED, Kind.UNBLOCKED);
    }

    @Test
    void routesByOwnerAndEnvironment() {
        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        reconciled(PRODUCTION, blocked(PRODUCTION, NEXT));
        reconciled(PRODUCTION, passed(PRODUCTION, NEXT));

        assertThat(shop.kinds()).containsExactly(Kind.BLOCKED, Kind.UNBLOCKED);
        assertThat(payments.sent).as("team-payments owns nothing that was blocked").isEmpty();
        assertThat(devOnly.sent).as("only dev").isEmpty();

        reconciled(DEV, blocked(DEV, SHA));
        assertThat(devOnly.kinds()).containsExactly(Kind.BLOCKED);
        assertThat(shop.kinds()).containsExactly(Kind.BLOCKED, Kind.UNBLOCKED, Kind.BLOCKED);
        assertThat(payments.sent).as("team-payments listens to production only").isEmpty();
    }

    @Test
    void notifiesAnErrorOnceAndTheRecoveryToWhomItConcerned() {
        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        reconciled(PRODUCTION, ledgerUnverified(PRODUCTION, NEXT));
        reconciled(PRODUCTION, ledgerUnverified(PRODUCTION, NEXT));

        assertThat(everything.kinds()).containsExactly(Kind.ERROR);
        assertThat(payments.kinds()).containsExactly(Kind.ERROR);
        assertThat(shop.sent).isEmpty();
        assertThat(everything.sent.get(0).owners()).containsExactly("team-payments");

        reconciled(PRODUCTION, passed(PRODUCTION, NEXT));
        assertThat(payments.kinds()).containsExactly(Kind.ERROR, Kind.RECOVERED);
        assertThat(shop.sent).isEmpty();
    }

    @Test
    void aFailureWithoutKnownOwnersReachesOnlyNotifiersWithoutAnOwnerFilter() {
        reconciled(PRODUCTION, new ReconcileOutcome.Failed(new GateReport(EnvironmentName.of("production"), CommitId.of(SHA), "b".repeat(40), "overlays/production",
                new GateResult(Decision.PASS, List.of(api(Verdict.PASS)), List.of(), List.of(), List.of())),
                Reason.APPLY_FAILED, "could not reach the cluster of production: connection refused", ChangeSet.empty()));

        assertThat(everything.sent).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.ERROR);
            assertThat(n.description()).isEqualTo("error: APPLY_FAILED: could not reach the cluster of production: connection refused");
            assertThat(n.owners()).isEmpty();
        });
        assertThat(shop.sent).isEmpty();
        assertThat(payments.sent).isEmpty();
    }

    @Test
    void goesFromBlockedToErrorAndBackToBlocked() {
        reconciled(PRODUCTION, blocked(PRODUCTION, SHA));
        reconciled(PRODUCTION, ledgerUnverified(PRODUCTION, NEXT));
        reconciled(PRODUCTION, blocked(PRODUCTION, SHA));
        assertThat(everything.kinds()).containsExactly(Kind.BLOCKED, Kind.ERROR, Kind.BLOCKED);
    }

    @Test
    void tellsTheFirstOutcomeAfterStartOnlyWhenItIsBad() {
        reconciled(DEV, passed(DEV, SHA));
        reconciled(PRODUCTION, blocked(PRODUCTION, SHA));
        assertThat(everything.sent).extracting(n -> n.environment().value(), Notification::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("production", Kind.BLOCKED));
    }

    @Test
    void notifiesDriftUndoneToTheOwnersOfTheDriftedObjects() {
        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        reconciled(PRODUCTION, passed(PRODUCTION, SHA,
                new ChangeSetEntry("Deployment/payments/ledger", Action.CONFIGURED, true),
                new ChangeSetEntry("Deployment/shop/api", Action.UNCHANGED, false)));
        reconciled(PRODUCTION, passed(PRODUCTION, SHA, new ChangeSetEntry("Deployment/shop/api", Action.UNCHANGED, false)));

        assertThat(everything.sent).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.DRIFT_UNDONE);
            assertThat(n.description()).isEqualTo("drift undone: Deployment/payments/ledger");
            assertThat(n.owners()).containsExactly("team-payments");
        });
        assertThat(payments.kinds()).containsExactly(Kind.DRIFT_UNDONE);
        assertThat(shop.sent).isEmpty();
    }

    @Test
    void aDriftNotificationNamesTheFieldManagerWhoseChangeWasUndone() {
        reconciled(PRODUCTION, passed(PRODUCTION, SHA));
        reconciled(PRODUCTION, passed(PRODUCTION, SHA, new ChangeSetEntry("Deployment/payments/ledger", Action.CONFIGURED, true,
                "kubectl-edit added spec.template.spec.containers[name=sidecar]")));

        assertThat(everything.sent).singleElement().satisfies(n -> assertThat(n.description()).isEqualTo(
                "drift undone: Deployment/payments/ledger (kubectl-edit added spec.template.spec.containers[name=sidecar])"));
    }

    @Test
    void findsOwnersOnTheObjectOrItsPodTemplateByEitherId() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<ObjectNode> objects = List.of(
                (ObjectNode) json.readTree("""
                        {"apiVersion": "apps/v1", "kind": "Deployment",
                         "metadata": {"name": "api", "namespace": "shop", "labels": {"drawbridge.dev/owner": "team-shop"}}}"""),
                (ObjectNode) json.readTree("""
                        {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cleanup", "namespace": "shop"},
                         "spec": {"template": {"metadata": {"labels": {"drawbridge.dev/owner": "team-ops"}}}}}"""),
                (ObjectNode) json.readTree("""
                        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}"""));

        Owners owners = Owners.of(objects);

        assertThat(owners.of(List.of("apps/v1/Deployment/shop/api"))).containsExactly("team-shop");
        assertThat(owners.of(List.of("Deployment/shop/api", "CronJob/shop/cleanup", "Namespace/shop")))
                .containsExactly("team-ops", "team-shop");
        assertThat(Owners.of(List.of(objects.get(2)))).isEqualTo(Owners.NONE);
    }

    @Test
    void postsThroughTheConfiguredNotifiersWithoutLoggingTheirUrls() throws Exception {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        Logger logger = (Logger) LoggerFactory.getLogger("dev.drawbridge");
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        logger.setLevel(Level.ALL);
        try {
            server.stubFor(post(urlEqualTo("/services/T1/B1/sl4ckT0k3n")).willReturn(aResponse().withStatus(200)));
            server.stubFor(post(urlEqualTo("/hooks/h00kT0k3n")).willReturn(aResponse().withStatus(500)));
            Files.writeString(dir.resolve("slack-url"), server.baseUrl() + "/services/T1/B1/sl4ckT0k3n\n");
            Files.writeString(dir.resolve("hook-url"), server.baseUrl() + "/hooks/h00kT0k3n");
            DrawbridgeConfig config = new ConfigLoader().load("drawbridge.yaml", """
                    git: {url: "https://git.example.com/deploy.git"}
                    dashboard-url: https://drawbridge.example.com
                    environments:
                      - {name: production, branch: env/production, path: overlays/production}
                    notifications:
                      - {name: shop-slack, type: slack, url-file: slack-url, owners: [team-shop]}
                      - {name: payments-hook, type: webhook, url-file: hook-url, owners: [team-payments], environments: [production]}
                    """.getBytes(), dir);

            try (Notifications fromConfig = Notifications.fromConfig(config, env -> OWNERS)) {
                fromConfig.reconciled(PRODUCTION, passed(PRODUCTION, SHA), Duration.ZERO);
                fromConfig.reconciled(PRODUCTION, blocked(PRODUCTION, NEXT), Duration.ZERO);
                fromConfig.reconciled(PRODUCTION, blocked(PRODUCTION, NEXT), Duration.ZERO);
                fromConfig.reconciled(PRODUCTION, ledgerUnverified(PRODUCTION, NEXT), Duration.ZERO);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    server.verify(1, postRequestedFor(urlEqualTo("/services/T1/B1/sl4ckT0k3n"))
                            .withRequestBody(matchingJsonPath("$.blocks[0].text.text", com.github.tomakehurst.wiremock.client.WireMock
                                    .containing("newly blocked"))));
                    server.verify(1, postRequestedFor(urlEqualTo("/hooks/h00kT0k3n")).withRequestBody(equalToJson("""
                            {"environment": "production", "kind": "ERROR", "revision": "%s",
                             "description": "error: could not verify harbor.example.com/prod/payments/ledger:1.0: registry timed out",
                             "owners": ["team-payments"],
                             "link": "https://drawbridge.example.com/environments/production/decisions/%s"}"""
                            .formatted(NEXT, NEXT), true, true)));
                });
            }
            String text = logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
            assertThat(text).contains("production: BLOCKED production@5e3d2b0a1f4e (owners: [team-shop]) notified to [shop-slack]")
                    .contains("notification payments-hook: ERROR production@5e3d2b0a1f4e not sent: the endpoint answered 500")
                    .doesNotContain("sl4ckT0k3n").doesNotContain("h00kT0k3n");
        } finally {
            logger.detachAppender(logs);
            logger.setLevel(level);
            server.stop();
        }
    }

    /** Records what it is sent. */
    static final class Recorder implements Notifier {
        final String name;
        final List<Notification> sent = new CopyOnWriteArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void send(Notification notification) {
            sent.add(notification);
        }

        List<Kind> kinds() {
            return sent.stream().map(Notification::kind).toList();
        }
    }
}
