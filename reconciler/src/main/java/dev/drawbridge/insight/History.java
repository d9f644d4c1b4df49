package dev.drawbridge.insight;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.image.ImageReference;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the decision records say about images over time: when an image (by name, whatever its tag) was blocked
 * and then passed in a later decision of the same environment (a fix), and when one was last blocked.
 */
final class History {

    /** An image blocked at {@code blocked} and passing in the decision at {@code fixed}. */
    record Fix(String imageName, Duration took) {
    }

    private History() {
    }

    /** The fixes in one environment's records: each run of BLOCK decisions on an image ended by a pass. */
    static List<Fix> fixes(List<DecisionRecord> records) {
        Map<String, Instant> blockedSince = new HashMap<>();
        List<Fix> fixes = new ArrayList<>();
        for (DecisionRecord record : sorted(records)) {
            for (Map.Entry<String, String> e : verdictsByName(record).entrySet()) {
                String name = e.getKey();
                switch (e.getValue()) {
                    case "BLOCK" -> blockedSince.putIfAbsent(name, record.time());
                    case "PASS", "WARN" -> {
                        Instant since = blockedSince.remove(name);
                        if (since != null) {
                            fixes.add(new Fix(name, Duration.between(since, record.time())));
                        }
                    }
                    default -> { } // not verified: neither a block nor a fix
                }
            }
        }
        return fixes;
    }

    /** When each image name was last blocked in these records. */
    static Map<String, Instant> lastBlocked(List<DecisionRecord> records) {
        Map<String, Instant> last = new HashMap<>();
        for (DecisionRecord record : sorted(records)) {
            verdictsByName(record).forEach((name, verdict) -> {
                if (verdict.equals("BLOCK")) {
                    last.put(name, record.time());
                }
            });
        }
        return last;
    }

    private static List<DecisionRecord> sorted(List<DecisionRecord> records) {
        return records.stream().sorted(Comparator.comparing(DecisionRecord::time)).toList();
    }

    /** The verdict of each image name in one record: BLOCK if any of its references is, else the worst other. */
    private static Map<String, String> verdictsByName(DecisionRecord record) {
        Map<String, String> verdicts = new HashMap<>();
        for (DecisionRecord.RecordedImage image : record.images()) {
            String name = name(image.reference());
            if (name == null) {
                continue;
            }
            verdicts.merge(name, image.verdict(), History::worse);
        }
        return verdicts;
    }

    private static final List<String> WORST_FIRST = List.of("BLOCK", "ERROR", "WARN", "PASS");

    private static String worse(String a, String b) {
        return WORST_FIRST.indexOf(a) <= WORST_FIRST.indexOf(b) ? a : b;
    }

    /** The image name of a recorded reference; null for one that does not parse (records are old data). */
    static String name(String reference) {
        try {
            return ImageReference.parse(reference).name();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
