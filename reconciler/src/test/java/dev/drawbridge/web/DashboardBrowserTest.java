package dev.drawbridge.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.apply.testing.ApplyingMockServer;
import dev.drawbridge.config.ConfigLoader;
import dev.drawbridge.demo.Demo;
import dev.drawbridge.testing.Browser;
import dev.drawbridge.testing.GitFixtures;
import dev.drawbridge.testing.HarborStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pages in a real browser (Debian's headless Chromium through chromedriver) over the demo's data: serve
 * started as {@code scripts/demo} starts it, on the demo repository and its stand-ins. Every page loads without a
 * console error, asks nothing of another origin, and fits a 1280 px screen and a 390 px phone without
 * horizontal scrolling; the first priority is the demo's fixable CRITICAL CVE of shop/api in production, and its
 * link reaches production's decision page. Screenshots go to {@code reconciler/target/screenshots/}; with
 * {@code -Dscreenshots.docs=true} the dashboard's also to {@code docs/dashboard.png}.
 *
 * <p>Without Chromium the test is skipped on a developer's machine and fails in CI ({@code CI=true}).
 */
class DashboardBrowserTest {

    static final List<String> PAGES = List.of("/", "/priorities", "/teams", "/exceptions");
    static final int WIDE = 1280;
    static final int PHONE = 390;

    @TempDir
    static Path work;
    static HarborStandIn registry;
    static List<ApplyingMockServer> clusters = new ArrayList<>();
    static DrawbridgeServer server;
    static CompletableFuture<Browser> starting;
    static Browser browser;
    static String base;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        if (!Browser.installed()) {
            String why = "the browser test needs Debian's chromium and chromium-driver (" + Browser.CHROMIUM + ", "
                    + Browser.CHROMEDRIVER + "): apt-get install chromium chromium-driver, or run scripts/test";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: " + why);
            }
            assumeTrue(false, why);
        }
        registry = HarborStandIn.start();
        Map<String, ApplyingMockServer> byEnv = new java.util.LinkedHashMap<>();
        for (String env : GitFixtures.ENVIRONMENTS) {
            ApplyingMockServer cluster = ApplyingMockServer.start();
            clusters.add(cluster);
            byEnv.put(env, cluster);
        }
        // the browser starts while the demo's repository is made and serve reconciles it
        starting = CompletableFuture.supplyAsync(() -> {
            try {
                return Browser.start(work);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new Demo(GitFixtures.projectRoot(), work, Clock.systemUTC(), quiet).run(registry, byEnv);
        server = DrawbridgeServer.start(new ConfigLoader().load(work.resolve("drawbridge.yaml")), 0);
        base = "http://127.0.0.1:" + server.port();
        awaitEveryEnvironmentDecided();
        browser = starting.get(60, TimeUnit.SECONDS);
        screenshots = GitFixtures.projectRoot().resolve("reconciler/target/screenshots");
    }

    /** Until serve reconciled every environment once and insight ranks their findings. */
    private static void awaitEveryEnvironmentDecided() {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode envs = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/environments")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            JsonNode priorities = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/priorities")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            boolean decided = envs.size() == GitFixtures.ENVIRONMENTS.size();
            for (JsonNode env : envs) {
                decided &= env.hasNonNull("decision");
            }
            return decided && priorities.path("priorities").size() > 0;
        });
    }

    @AfterAll
    static void stop() {
        if (starting != null) {
            starting.thenAccept(Browser::close).orTimeout(60, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (server != null) {
            server.close();
        }
        clusters.forEach(ApplyingMockServer::close);
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void everyPageLoadsWithoutConsoleErrorsAndFitsAWideScreenAndAPhone() throws Exception {
        List<String> pages = new ArrayList<>(PAGES);
        pages.add(decisionPath("production"));
        pages.add(decisionPath("dev"));
        for (int width : List.of(WIDE, PHONE)) {
            browser.viewport(width, width == PHONE ? 844 : 900, width == PHONE);
            for (String page : pages) {
                browser.driver().get(base + page);
                String where = page + " at " + width + " px";
                assertThat(browser.driver().getTitle()).as(where).startsWith("Drawbridge");
                assertThat(browser.consoleErrors()).as("console errors of " + where).isEmpty();
                assertThat(script("return window.innerWidth")).as(where).isEqualTo((long) width);
                assertThat(script("return document.documentElement.scrollWidth <= window.innerWidth")).as(where + ": scrolls sideways")
                        .isEqualTo(true);
                assertThat((List<?>) wider()).as(where + ": elements outside the viewport").isEmpty();
                assertThat((List<?>) script("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => !n.startsWith(location.origin))")).as(where + ": requests to another origin").isEmpty();
                assertThat(script("return document.scripts.length")).as(where + ": needs no script").isEqualTo(0L);
                browser.screenshot(screenshots.resolve(name(page) + "-" + width + ".png"), width, width == PHONE);
            }
        }
        if (Boolean.getBoolean("screenshots.docs")) {
            browser.viewport(WIDE, 900, false);
            browser.driver().get(base + "/");
            browser.screenshot(GitFixtures.projectRoot().resolve("docs/dashboard.png"), WIDE, false);
        }
    }

    @Test
    void theFirstPriorityIsTheFixableCriticalCveOfShopApiAndItsLinkReachesProductionsDecisionPage() {
        browser.viewport(WIDE, 900, false);
        browser.driver().get(base + "/priorities");
        WebElement first = browser.driver().findElement(By.id("priority-1"));
        assertThat(first.findElement(By.className("finding")).getText()).isEqualTo("CVE-2026-1234");
        assertThat(first.getText()).contains("CRITICAL", "openssl", "3.0.15", "shop/api", "unblocks", "production",
                "team-shop");

        first.findElement(By.linkText("production")).click();

        assertThat(browser.driver().getCurrentUrl()).isEqualTo(base + decisionPath("production"));
        String page = browser.driver().findElement(By.tagName("main")).getText();
        assertThat(page).contains("production", "BLOCK", "CVE-2026-1234", "harbor.example.com/prod/shop/api");
        assertThat(browser.consoleErrors()).isEmpty();

        browser.driver().get(base + "/");
        WebElement production = browser.driver().findElement(By.id("env-production"));
        assertThat(production.findElements(By.cssSelector("ol.priorities li")).get(0).getText()).startsWith("CVE-2026-1234");
        assertThat(production.getText()).contains("BLOCK", "team-shop").containsIgnoringCase("what blocks it");
        assertThat(browser.driver().findElement(By.cssSelector("section.next")).getText()).contains("CVE-2026-1234");
    }

    private static String decisionPath(String env) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/api/environments/" + env)).build(), HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(response.body()).path("decisionPage").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object script(String js) {
        return browser.driver().executeScript(js);
    }

    /** The elements whose box reaches outside the viewport (a few, described). */
    private static Object wider() {
        return script("""
                const bad = [];
                for (const el of document.body.querySelectorAll('*')) {
                  const r = el.getBoundingClientRect();
                  if (r.width === 0 && r.height === 0) continue;
                  if (r.left < -0.5 || r.right > window.innerWidth + 0.5) {
                    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                    bad.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
                  }
                }
                return bad.slice(0, 10);
                """);
    }

    private static String name(String page) {
        if (page.equals("/")) {
            return "dashboard";
        }
        return page.substring(1).replace('/', '-');
    }
}
