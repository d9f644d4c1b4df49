package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.insight.Insight;
import dev.drawbridge.reconcile.InsightFeed;
import dev.drawbridge.reconcile.Owners;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.reconcile.ReconcilePipeline;
import dev.drawbridge.values.EnvironmentName;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /} (the dashboard), {@code /priorities}, {@code /teams}, {@code /exceptions} and
 * {@code GET /environments/{env}/decisions/{sha}} (the decision page of a commit status' target_url)
 * (docs/dashboard.md). Pages carry a Content-Security-Policy that allows no script at all.
 */
@RestController
class PagesController {

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'";

    /** The icon of every page (a raised drawbridge), so that a browser's request for one finds it. */
    private static final String ICON = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1b1f24"/>\
            <path d="M3 14V5l2-2 2 2v9M9 14V5l2-2 2 2v9" fill="none" stroke="#fff" stroke-width="1.4"/>\
            <path d="M7 14L12 7" stroke="#2da44e" stroke-width="1.6"/></svg>
            """;

    private final DrawbridgeConfig config;
    private final ReconcileLoop loop;
    private final DecisionHistory history;
    private final Function<EnvironmentName, Owners> owners;
    private final InsightFeed insight;
    private final Clock clock;
    private final Promotions promotions;

    PagesController(DrawbridgeConfig config, ReconcileLoop loop, DecisionHistory history, ReconcilePipeline pipeline,
                    InsightFeed insight, Clock clock, Promotions promotions) {
        this.promotions = promotions;
        this.config = config;
        this.loop = loop;
        this.history = history;
        this.owners = pipeline::owners;
        this.insight = insight;
        this.clock = clock;
    }

    @GetMapping("/")
    ResponseEntity<String> dashboard() {
        Insight now = insight.current();
        List<EnvironmentCard> cards = config.environments().stream()
                .map(env -> EnvironmentCard.of(env, loop.status(env.name()).orElseThrow(), owners.apply(env.name()),
                        PromotionWaiting.of(env, loop::status, promotions::state).orElse(null),
                        now.top(env.name().value(), EnvironmentCard.SHOWN_PRIORITIES).stream()
                                .map(p -> InsightPages.row(p, this::head)).toList(), clock))
                .toList();
        InsightPages.PriorityRow next = now.priorities().isEmpty() ? null : InsightPages.row(now.priorities().get(0), this::head);
        return page(HttpStatus.OK, Pages.dashboard(new DashboardPage(cards, next, Moment.of(clock.instant(), clock))));
    }

    @GetMapping("/priorities")
    ResponseEntity<String> priorities() {
        return page(HttpStatus.OK, Pages.priorities(InsightPages.priorities(insight.current(), this::head, clock)));
    }

    @GetMapping("/teams")
    ResponseEntity<String> teams() {
        return page(HttpStatus.OK, Pages.teams(InsightPages.teams(insight.current(), TeamTrend.of(history.all(), clock), clock)));
    }

    @GetMapping("/exceptions")
    ResponseEntity<String> exceptions() {
        return page(HttpStatus.OK, Pages.exceptions(InsightPages.exceptions(insight.current(), clock)));
    }

    /** The decision page of an environment's last revision; null when it has none yet. */
    private String head(String environment) {
        EnvironmentName name = EnvironmentName.of(environment); // an insight row's environment: a configured one
        return loop.status(name).map(s -> s.last() == null || s.last().report().revision() == null ? null : s.last().report().revision().hex())
                .map(revision -> Outcomes.decisionPath(name, revision)).orElse(null);
    }

    @GetMapping(path = "/favicon.svg", produces = "image/svg+xml")
    ResponseEntity<String> icon() {
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "max-age=86400").body(ICON);
    }

    @GetMapping("/environments/{env}/decisions/{sha}")
    ResponseEntity<String> decision(@PathVariable("env") String name, @PathVariable("sha") String sha) {
        Optional<EnvironmentConfig> env = EnvironmentName.parse(name).flatMap(config::environment);
        if (env.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, Pages.notFound("No environment \"" + name + "\" is configured."));
        }
        EnvironmentName environment = env.get().name();
        Optional<DecisionHistory.Entry> entry = sha.matches("[0-9a-f]{7,64}") ? history.find(environment, sha) : Optional.empty();
        if (entry.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, Pages.notFound("No decision of " + name + " at revision " + sha
                    + " is known to this server (it keeps the last " + DecisionHistory.PER_ENVIRONMENT
                    + " revisions of each environment since it started)."));
        }
        return page(HttpStatus.OK, Pages.decision(DecisionPage.of(env.get(), entry.get(), history.entries(environment), clock)));
    }

    private static ResponseEntity<String> page(HttpStatus status, String html) {
        return ResponseEntity.status(status)
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(html);
    }
}
