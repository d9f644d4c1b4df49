package dev.drawbridge.insight;

import dev.drawbridge.image.Severity;

import java.util.List;

/**
 * One finding in one image (or manifest, or environment) of one environment: the unit that priorities group.
 *
 * @param key         the finding: the vulnerability id, else the rule name
 * @param rule        the rule that reports it
 * @param environment the environment
 * @param order       the environment's order (higher: closer to production)
 * @param severity    the vulnerability's severity, else null
 * @param pkg         the affected package, else null
 * @param fixedIn     the version that fixes it, else null
 * @param fix         the gate's advice, e.g. {@code update openssl to 3.0.15 or later and rebuild the image}
 * @param reference   the normalised image reference, null when the finding is not about an image
 * @param imageName   the image's name ({@code host/repository}), null likewise
 * @param workloads   the ids of the workloads it reaches in this environment
 * @param teams       the owners of those workloads
 * @param blocking    it keeps the revision from deploying (BLOCK or not verified), rather than only warning
 */
record Occurrence(String key, String rule, String environment, int order, Severity severity, String pkg,
                  String fixedIn, String fix, String reference, String imageName, List<String> workloads,
                  List<String> teams, boolean blocking) {

    Occurrence {
        workloads = List.copyOf(workloads);
        teams = List.copyOf(teams);
    }

    boolean vulnerability() {
        return !key.equals(rule);
    }
}
