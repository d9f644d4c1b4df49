package dev.drawbridge.insight;

import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Rules;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.policy.GatePolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The occurrences of findings in one environment's gate report. */
final class Findings {

    /** The rule of a row that says an environment could not be checked at all (its images are unknown). */
    static final String GATE_ERROR = "gate.error";
    private static final int ERRORS_LISTED = 5;

    private Findings() {
    }

    static List<Occurrence> of(EnvironmentState env) {
        List<Occurrence> found = new ArrayList<>();
        Decision decision = env.report().result().decision();
        for (ImageVerdict image : env.report().result().images()) {
            boolean blocking = image.verdict() == Verdict.BLOCK || image.verdict() == Verdict.ERROR;
            List<String> teams = List.copyOf(teams(env, image));
            for (Violation v : image.violations()) {
                String key = v.id() != null ? v.id() : v.rule();
                found.add(new Occurrence(key, v.rule(), env.name(), env.order(), v.severity(), v.pkg(), v.fixedIn(),
                        v.fix(), image.image().normalized(), image.image().name(), image.workloads(), teams, blocking));
            }
        }
        boolean enforced = env.policy() == null || env.policy().mode() == GatePolicy.Mode.ENFORCE;
        for (Violation v : env.report().result().manifestViolations()) {
            found.add(new Occurrence(v.rule(), v.rule(), env.name(), env.order(), v.severity(), null, null,
                    v.message() + ": " + v.fix(), null, null, List.of(), List.of(), enforced));
        }
        List<String> errors = env.report().result().errors();
        if (decision == Decision.ERROR && !errors.isEmpty()) {
            // every error on a line of its own (a cell of the CSV, a line of the text), the first few only
            String listed = String.join("\n", errors.subList(0, Math.min(ERRORS_LISTED, errors.size())))
                    + (errors.size() > ERRORS_LISTED ? "\n(+" + (errors.size() - ERRORS_LISTED) + " more)" : "");
            found.add(new Occurrence(GATE_ERROR, GATE_ERROR, env.name(), env.order(), null, null, null,
                    "make " + env.name() + " checkable again: " + listed, null, null, List.of(), List.of(), true));
        }
        return found;
    }

    /** The owners of an image's workloads; a workload without one (or an image without workloads) is unowned. */
    static Set<String> teams(EnvironmentState env, ImageVerdict image) {
        Set<String> teams = new TreeSet<>();
        for (String workload : image.workloads()) {
            teams.add(owner(env.owners(), workload));
        }
        if (teams.isEmpty()) {
            teams.add(TeamScore.UNOWNED);
        }
        return teams;
    }

    static String owner(Map<String, String> owners, String workload) {
        String owner = owners.get(workload);
        return owner == null || owner.isBlank() ? TeamScore.UNOWNED : owner;
    }

    /** A rule the owners can act on; not verifying an image or a whole environment is not theirs to fix. */
    static boolean actionable(String rule) {
        return !rule.equals(Rules.VERIFY_ERROR) && !rule.equals(GATE_ERROR);
    }
}
