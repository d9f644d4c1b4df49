package dev.drawbridge.insight;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.gate.Decision;
import dev.drawbridge.gate.GateReport;
import dev.drawbridge.gate.GateResult;
import dev.drawbridge.gate.ImageVerdict;
import dev.drawbridge.gate.Rules;
import dev.drawbridge.gate.Verdict;
import dev.drawbridge.gate.Violation;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.Severity;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.policy.ImageRules;
import dev.drawbridge.policy.ScanRules;
import dev.drawbridge.policy.VulnerabilityException;
import dev.drawbridge.values.CommitId;
import dev.drawbridge.values.EnvironmentName;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hand-built gate results of environment heads, for insight's tests. */
final class Heads {

    static final Instant NOW = Instant.parse("2027-01-17T10:00:00Z");

    private Heads() {
    }

    static Violation cve(String id, Severity severity, String pkg, String fixedIn) {
        return new Violation(Rules.SCAN_SEVERITY, id + " " + severity + " in " + pkg, fixedIn == null
                ? "no fixed version exists yet" : "update " + pkg + " to " + fixedIn + " or later and rebuild the image",
                id, severity, pkg, fixedIn);
    }

    static Violation rule(String rule, String fix) {
        return Violation.of(rule, rule + " broken", fix);
    }

    static ImageVerdict image(String reference, Verdict verdict, List<String> workloads, Violation... violations) {
        return new ImageVerdict(reference, ImageReference.parse(reference), null, workloads, verdict, List.of(violations),
                List.of());
    }

    /** One environment's head. */
    static final class Env {
        final String name;
        final int order;
        final List<ImageVerdict> images = new ArrayList<>();
        final Map<String, String> owners = new HashMap<>();
        final List<VulnerabilityException> exceptions = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        Duration warnBefore;
        List<DecisionRecord> history;
        Decision decision;

        Env(String name, int order) {
            this.name = name;
            this.order = order;
        }

        Env image(ImageVerdict image) {
            images.add(image);
            return this;
        }

        Env owner(String workload, String team) {
            owners.put(workload, team);
            return this;
        }

        Env exception(String id, String vulnerability, String owner, LocalDate expires) {
            exceptions.add(new VulnerabilityException(id, vulnerability, List.of(), "not reachable", owner, expires));
            return this;
        }

        Env warnBefore(Duration window) {
            warnBefore = window;
            return this;
        }

        Env error(String message) {
            errors.add(message);
            decision = Decision.ERROR;
            return this;
        }

        Env history(DecisionRecord... records) {
            history = List.of(records);
            return this;
        }

        EnvironmentState state() {
            Decision d = decision != null ? decision
                    : images.stream().anyMatch(i -> i.verdict() == Verdict.ERROR) ? Decision.ERROR
                    : images.stream().anyMatch(i -> i.verdict() == Verdict.BLOCK) ? Decision.BLOCK : Decision.PASS;
            GatePolicy policy = new GatePolicy(name, "policies/" + name + ".yaml", GatePolicy.Mode.ENFORCE, List.of(),
                    new ImageRules(false, null), new ScanRules(true, null, Set.of(Severity.CRITICAL, Severity.HIGH),
                    Set.of(Severity.CRITICAL)), false, false, exceptions, warnBefore);
            GateReport report = new GateReport(EnvironmentName.of(name), CommitId.of("a".repeat(40)), "b".repeat(40), "overlays/" + name,
                    new GateResult(d, images, List.of(), errors, List.of()));
            return new EnvironmentState(name, order, report, policy, owners, history);
        }
    }

    static Env production() {
        return new Env("production", 2);
    }

    static Env acceptance() {
        return new Env("acceptance", 1);
    }

    static Env dev() {
        return new Env("dev", 0);
    }

    static DecisionRecord record(String env, Instant time, String reference, String verdict) {
        return new DecisionRecord(EnvironmentName.of(env), Long.toHexString(time.toEpochMilli()) + "0".repeat(29), "b".repeat(40),
                verdict.equals("BLOCK") ? "BLOCK" : "PASS", time,
                List.of(new DecisionRecord.RecordedImage(reference, null, verdict)), false, null, "");
    }
}
