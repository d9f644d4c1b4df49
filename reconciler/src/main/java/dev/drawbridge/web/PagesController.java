package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.reconcile.EnvironmentStatus;
import dev.drawbridge.reconcile.ReconcileLoop;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /} (the dashboard) and {@code GET /environments/{env}/decisions/{sha}} (the decision page of a
 * commit status' target_url). Pages carry a Content-Security-Policy that allows no script at all.
 */
@RestController
class PagesController {

    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    private final DrawbridgeConfig config;
    private final ReconcileLoop loop;
    private final DecisionHistory history;

    PagesController(DrawbridgeConfig config, ReconcileLoop loop, DecisionHistory history) {
        this.config = config;
        this.loop = loop;
        this.history = history;
    }

    @GetMapping("/")
    ResponseEntity<String> dashboard() {
        List<EnvironmentStatus> statuses = config.environments().stream()
                .map(e -> loop.status(e.name()).orElseThrow()).toList();
        return page(HttpStatus.OK, Pages.dashboard(config.environments(), statuses));
    }

    @GetMapping("/environments/{env}/decisions/{sha}")
    ResponseEntity<String> decision(@PathVariable("env") String name, @PathVariable("sha") String sha) {
        Optional<EnvironmentConfig> env = config.environment(name);
        if (env.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, Pages.notFound("No environment \"" + name + "\" is configured."));
        }
        Optional<DecisionHistory.Entry> entry = sha.matches("[0-9a-f]{7,64}") ? history.find(name, sha) : Optional.empty();
        if (entry.isEmpty()) {
            return page(HttpStatus.NOT_FOUND, Pages.notFound("No decision of " + name + " at revision " + sha
                    + " is known to this server (it keeps the last " + DecisionHistory.PER_ENVIRONMENT
                    + " revisions of each environment since it started)."));
        }
        return page(HttpStatus.OK, Pages.decision(env.get(), entry.get(), history.entries(name)));
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
