package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import dev.drawbridge.config.EnvironmentConfig;
import dev.drawbridge.config.ForgeConfig;
import dev.drawbridge.config.SecretFile;
import dev.drawbridge.reconcile.PullRequestChecks;
import dev.drawbridge.reconcile.ReconcileLoop;
import dev.drawbridge.report.forge.ForgeKind;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhooks (docs/operations.md): {@code POST /hooks/github}, {@code /hooks/gitlab}, {@code /hooks/gitea}. A delivery
 * is authenticated with {@code forge.webhook-secret-file} (no secret configured: every delivery is refused),
 * read from at most {@link #MAX_BODY} bytes of raw body, and then a push to an environment branch triggers that
 * environment's reconcile at once, and a pull request targeting one queues a check of its head (never applied).
 * A redelivery (same delivery id) gets 202 and does nothing.
 */
@RestController
@RequestMapping(path = "/hooks", produces = "application/json")
class WebhooksController {

    static final int MAX_BODY = 1024 * 1024;
    static final int REMEMBERED_DELIVERIES = 1000;
    private static final long REFUSAL_LOG_PERIOD_NANOS = 60_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.serve");

    private final DrawbridgeConfig config;
    private final ReconcileLoop loop;
    private final PullRequestChecks checks;
    private final DeliveryIds deliveries = new DeliveryIds(REMEMBERED_DELIVERIES);
    /** Refusals are logged at most once a minute: anyone can send requests, nobody should fill the log. */
    private final AtomicLong lastRefusalLogged = new AtomicLong(System.nanoTime() - REFUSAL_LOG_PERIOD_NANOS);

    WebhooksController(DrawbridgeConfig config, ReconcileLoop loop, PullRequestChecks checks) {
        this.config = config;
        this.loop = loop;
        this.checks = checks;
    }

    @PostMapping("/github")
    ResponseEntity<Map<String, Object>> github(HttpServletRequest request) throws IOException {
        return receive(ForgeKind.GITHUB, request);
    }

    @PostMapping("/gitlab")
    ResponseEntity<Map<String, Object>> gitlab(HttpServletRequest request) throws IOException {
        return receive(ForgeKind.GITLAB, request);
    }

    @PostMapping("/gitea")
    ResponseEntity<Map<String, Object>> gitea(HttpServletRequest request) throws IOException {
        return receive(ForgeKind.GITEA, request);
    }

    private ResponseEntity<Map<String, Object>> receive(ForgeKind forge, HttpServletRequest request) throws IOException {
        // size first, before anything is buffered: the declared length, then what actually arrives
        if (request.getContentLengthLong() > MAX_BODY) {
            return tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            return tooLarge();
        }

        // authenticate (fail closed)
        String secret = secret(forge);
        if (secret == null) {
            return error(HttpStatus.UNAUTHORIZED, "missing or wrong signature");
        }
        if (!ForgeHooks.authentic(forge, secret, body, request::getHeader)) {
            logRefusal("webhook to /hooks/{} refused: missing or wrong signature (from {})", forge.configName(), request.getRemoteAddr());
            return error(HttpStatus.UNAUTHORIZED, "missing or wrong signature");
        }

        HookEvent event;
        try {
            event = HookEvents.read(forge, ForgeHooks.event(forge, request::getHeader), request.getContentType(), body);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        String delivery = ForgeHooks.delivery(forge, request::getHeader);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("event", ForgeHooks.event(forge, request::getHeader));
        if (delivery != null) {
            answer.put("delivery", delivery.substring(delivery.indexOf(':') + 1));
        }
        if (!deliveries.firstTime(delivery)) {
            answer.put("duplicate", true);
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
        }
        try {
            act(event, answer);
        } catch (RuntimeException e) {
            deliveries.forget(delivery); // let the forge's redelivery try again
            throw e;
        }
        if (answer.containsKey("refused")) {
            deliveries.forget(delivery);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(answer);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    private void act(HookEvent event, Map<String, Object> answer) {
        if (event instanceof HookEvent.Ignored ignored) {
            answer.put("ignored", ignored.why());
        } else if (event instanceof HookEvent.Push push) {
            List<String> triggered = new ArrayList<>();
            for (EnvironmentConfig env : environmentsOn(push.branch())) {
                if (loop.trigger(env.name())) {
                    triggered.add(env.name().value());
                } else {
                    answer.put("refused", "the server is stopping");
                }
            }
            answer.put("triggered", triggered);
            if (triggered.isEmpty() && !answer.containsKey("refused")) {
                answer.put("ignored", "no environment deploys branch " + push.branch());
            }
            LOG.info("webhook: push to {} triggered {}", push.branch(), triggered);
        } else if (event instanceof HookEvent.PullRequest pr) {
            List<Map<String, Object>> queued = new ArrayList<>();
            for (EnvironmentConfig env : environmentsOn(pr.base())) {
                if (!loop.ownership().holds(env.name())) {
                    // another replica holds the environment: it checks the head when its poller or a trigger finds it
                    loop.ownership().passOn(env.name());
                    queued.add(Map.of("environment", env.name(), "ref", pr.ref(), "sha", pr.headSha().hex(),
                            "holder", String.valueOf(loop.ownership().holder(env.name()))));
                } else if (checks.submit(new PullRequestChecks.Request(env, pr.ref(), pr.headSha().hex()))) {
                    queued.add(Map.of("environment", env.name(), "ref", pr.ref(), "sha", pr.headSha().hex()));
                } else {
                    answer.put("refused", "too many pull request checks are waiting; redeliver later");
                }
            }
            answer.put("checks", queued);
            if (queued.isEmpty() && !answer.containsKey("refused")) {
                answer.put("ignored", "no environment deploys branch " + pr.base());
            }
            LOG.info("webhook: pull request {} into {} at {}: checks queued for {}", pr.number(), pr.base(),
                    pr.headSha().abbreviated(), queued.stream().map(q -> q.get("environment")).toList());
        }
    }

    private List<EnvironmentConfig> environmentsOn(String branch) {
        return config.environments().stream().filter(env -> env.branch().equals(branch)).toList();
    }

    /** The webhook secret, or null (logged) when none is configured or it cannot be read. */
    private String secret(ForgeKind kind) {
        ForgeConfig forge = config.forge();
        SecretFile file = forge == null ? null : forge.webhookSecretFile();
        if (file == null) {
            logRefusal("webhook to /hooks/{} refused: no webhook secret is configured; set forge.webhook-secret-file "
                    + "(a file holding the secret the forge signs deliveries with)", kind.configName());
            return null;
        }
        try {
            return file.read();
        } catch (SecretFile.SecretFileException e) {
            logRefusal("webhook to /hooks/{} refused: forge.webhook-secret-file: {}", kind.configName(), e.getMessage());
            return null;
        }
    }

    private void logRefusal(String format, Object... args) {
        long last = lastRefusalLogged.get();
        long now = System.nanoTime();
        if (now - last >= REFUSAL_LOG_PERIOD_NANOS && lastRefusalLogged.compareAndSet(last, now)) {
            LOG.warn(format, args);
        }
    }

    private static ResponseEntity<Map<String, Object>> tooLarge() {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY + " bytes");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        String shown = message == null ? status.getReasonPhrase() : message.length() > 200 ? message.substring(0, 200) + "…" : message;
        return ResponseEntity.status(status).body(Map.of("error", shown));
    }
}
