package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.promotion.Promotions;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.values.EnvironmentName;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API: {@code GET /api/environments}, {@code GET /api/environments/{env}} (with its last gate
 * report and, for an environment with promotion requests, its {@code promotion}) and
 * {@code POST /api/environments/{env}/reconcile} (202: reconciled at once, or right after the
 * running reconcile). A trigger only asks for what the interval would do anyway; it changes no state.
 */
@RestController
@RequestMapping(path = "/api/environments", produces = "application/json")
class EnvironmentsController {

    private final DrawbridgeConfig config;
    private final ReconcileLoop loop;
    private final Promotions promotions;

    EnvironmentsController(DrawbridgeConfig config, ReconcileLoop loop, Promotions promotions) {
        this.config = config;
        this.loop = loop;
        this.promotions = promotions;
    }

    @GetMapping
    List<EnvironmentView> environments() {
        return config.environments().stream()
                .map(env -> EnvironmentView.of(env, loop.status(env.name()).orElseThrow(), loop.ownership(), false))
                .toList();
    }

    @GetMapping("/{env}")
    ResponseEntity<?> environment(@PathVariable("env") String name) {
        Optional<EnvironmentConfig> env = configured(name);
        if (env.isEmpty()) {
            return notFound(name);
        }
        EnvironmentName environment = env.get().name();
        return ResponseEntity.ok(EnvironmentView.of(env.get(), loop.status(environment).orElseThrow(), loop.ownership(), true,
                promotions.state(environment).orElse(null)));
    }

    @PostMapping("/{env}/reconcile")
    ResponseEntity<?> reconcile(@PathVariable("env") String name) {
        Optional<EnvironmentConfig> env = configured(name);
        if (env.isEmpty()) {
            return notFound(name);
        }
        if (!loop.trigger(env.get().name())) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "the server is stopping"));
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("environment", name, "triggered", true));
    }

    /** The environment a path names; empty for a name that is not configured (or no valid name at all). */
    private Optional<EnvironmentConfig> configured(String name) {
        return EnvironmentName.parse(name).flatMap(config::environment);
    }

    private ResponseEntity<?> notFound(String name) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error",
                "environment \"" + name + "\" is not configured (configured: "
                        + config.environmentNames().stream().map(EnvironmentName::value).collect(Collectors.joining(", "))
                        + ")"));
    }
}
