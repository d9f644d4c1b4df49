package dev.drawbridge.web;

import dev.drawbridge.config.DrawbridgeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code drawbridge serve}: starts the Spring Boot application that schedules the reconciles and serves
 * the dashboard, the decision pages, the REST API, {@code /actuator/health} and {@code /actuator/prometheus}.
 * The configuration is the one the command line already loaded and validated (from the file and the
 * {@code drawbridge.*} properties); Spring gets it as a bean, and the command line's Spring arguments
 * ({@code --spring.config.location=...}) for the settings of the server itself.
 */
public final class DrawbridgeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.drawbridge.serve");

    /** The Spring property of serve's {@code --state-dir}: where owed deliveries outlive the process (docs/retries.md). */
    public static final String STATE_DIR = "drawbridge-serve.state-dir";

    private final ConfigurableApplicationContext context;
    private final CountDownLatch closed = new CountDownLatch(1);

    private DrawbridgeServer(DrawbridgeConfig config, int port, List<String> springArgs) {
        SpringApplication app = new SpringApplication(ServeConfiguration.class);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setDefaultProperties(defaults());
        app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("drawbridgeConfig", config));
        app.addListeners((ContextClosedEvent e) -> closed.countDown());
        // the port from the command line wins over any property source
        List<String> args = new ArrayList<>(springArgs);
        args.add("--server.port=" + port);
        this.context = app.run(args.toArray(String[]::new));
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.shutdown", "graceful");
        // The dashboard, the API, webhooks and probes: a few requests at a time. Tomcat's defaults (10 threads
        // kept, up to 200) are for a busy web application; each thread is a stack and a malloc arena more.
        p.put("server.tomcat.threads.min-spare", "2");
        p.put("server.tomcat.threads.max", "20");
        p.put("server.error.include-message", "never");
        p.put("server.error.include-stacktrace", "never");
        p.put("management.endpoints.web.exposure.include", "health,prometheus");
        // Health answers anyone who can reach the port: its status only (UP, DOWN, OUT_OF_SERVICE), never the
        // components or their details (environments, revisions, messages); those are in /api/environments.
        p.put("management.endpoint.health.show-details", "never");
        p.put("management.endpoint.health.show-components", "never");
        p.put("management.endpoint.health.probes.enabled", "true");
        // readiness is the server's own: one broken environment must not take webhooks and the dashboard off the
        // Service (with several replicas, all of them); the environments' health is its own group
        p.put("management.endpoint.health.group.readiness.include", "readinessState");
        p.put("management.endpoint.health.group.environments.include", "environments");
        p.put("spring.main.register-shutdown-hook", "true");
        p.put("spring.jmx.enabled", "false");
        return p;
    }

    /** Starts the server on {@code port} (0: any free port) and returns once it serves requests. */
    public static DrawbridgeServer start(DrawbridgeConfig config, int port) {
        return start(config, port, List.of());
    }

    /**
     * Starts the server on {@code port} (0: any free port) and returns once it serves requests.
     *
     * @param springArgs Spring arguments of the command line ({@code --spring.config.location=...}), for the
     *                   server's own settings; the configuration's keys among them were read into {@code config}
     */
    public static DrawbridgeServer start(DrawbridgeConfig config, int port, List<String> springArgs) {
        DrawbridgeServer server = new DrawbridgeServer(config, port, springArgs);
        LOG.info("serving {} environment(s) from {} on http://localhost:{}/", config.environments().size(),
                config.source(), server.port());
        return server;
    }

    /** Starts the server and blocks until it is stopped (SIGTERM, Ctrl-C). */
    public static void run(DrawbridgeConfig config, int port, List<String> springArgs) throws InterruptedException {
        DrawbridgeServer server = start(config, port, springArgs);
        server.awaitStop();
    }

    /** The port the server listens on (the bound one when started with port 0). */
    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** Blocks until the application context closed. */
    public void awaitStop() throws InterruptedException {
        closed.await();
    }

    /** Stops serving, lets a running reconcile finish (within a grace period) and releases everything. */
    @Override
    public void close() {
        context.close();
    }
}
