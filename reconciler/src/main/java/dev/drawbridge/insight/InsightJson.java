package dev.drawbridge.insight;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.json.Mappers;

import java.util.List;

/**
 * The JSON rows of priorities and teams, with exactly the fields docs/priorities.md lists (and no other), as
 * {@code report --format json}, {@code GET /api/priorities} and {@code GET /api/teams} print them.
 */
public final class InsightJson {

    private static final ObjectMapper MAPPER = Mappers.TREES;
    private static final ObjectMapper PRETTY = Mappers.PRETTY;

    private InsightJson() {
    }

    /** {@code {"priorities":[...],"teams":[...]}}: what {@code report --format json} prints. */
    public static ObjectNode report(Insight insight) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("priorities", priorities(insight.priorities()));
        root.set("teams", teams(insight.teams()));
        return root;
    }

    /** {@code {"priorities":[...]}}: {@code GET /api/priorities}. */
    public static ObjectNode priorities(Insight insight) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("priorities", priorities(insight.priorities()));
        return root;
    }

    /** {@code {"teams":[...]}}: {@code GET /api/teams}. */
    public static ObjectNode teams(Insight insight) {
        ObjectNode root = MAPPER.createObjectNode();
        root.set("teams", teams(insight.teams()));
        return root;
    }

    public static ArrayNode priorities(List<Priority> rows) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Priority p : rows) {
            ObjectNode row = array.addObject();
            row.put("rank", p.rank());
            row.put("finding", p.finding());
            row.put("rule", p.rule());
            row.put("severity", p.severity());
            row.put("fixable", p.fixable());
            row.put("fix", p.fix());
            p.images().forEach(row.putArray("images")::add);
            p.teams().forEach(row.putArray("teams")::add);
            p.environments().forEach(row.putArray("environments")::add);
            row.put("workloads", p.workloads());
            row.put("blocking", p.blocking());
        }
        return array;
    }

    public static ArrayNode teams(List<TeamScore> rows) {
        ArrayNode array = MAPPER.createArrayNode();
        for (TeamScore t : rows) {
            ObjectNode row = array.addObject();
            row.put("team", t.team());
            row.put("images", t.images());
            row.put("passing", t.passing());
            row.put("blocked", t.blocked());
            row.put("warned", t.warned());
            row.put("fixableCriticalHigh", t.fixableCriticalHigh());
            row.put("exceptions", t.exceptions());
            row.put("nextExpiry", t.nextExpiry() == null ? null : t.nextExpiry().toString());
            row.put("medianTimeToFixHours", t.medianTimeToFixHours());
            row.put("daysSinceProductionBlock", t.daysSinceProductionBlock());
            row.put("rank", t.rank());
        }
        return array;
    }

    /** Compact JSON text. */
    public static String text(ObjectNode node) {
        return write(MAPPER, node);
    }

    /** Indented JSON text (the command line). */
    public static String pretty(ObjectNode node) {
        return write(PRETTY, node);
    }

    private static String write(ObjectMapper mapper, ObjectNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
