package dev.drawbridge.web;

import dev.drawbridge.insight.InsightJson;
import dev.drawbridge.reconcile.InsightFeed;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/priorities} and {@code GET /api/teams} (docs/priorities.md): the rows {@code report --format json}
 * prints, from the gate results of each environment's last reconcile. Written by {@link InsightJson} so the
 * fields are exactly those documented (nulls included).
 */
@RestController
class InsightController {

    private final InsightFeed insight;

    InsightController(InsightFeed insight) {
        this.insight = insight;
    }

    @GetMapping(path = "/api/priorities", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> priorities() {
        return json(InsightJson.text(InsightJson.priorities(insight.current())));
    }

    @GetMapping(path = "/api/teams", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> teams() {
        return json(InsightJson.text(InsightJson.teams(insight.current())));
    }

    private static ResponseEntity<String> json(String body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
