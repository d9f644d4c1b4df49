package dev.drawbridge.gate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.image.ImageUse;
import dev.drawbridge.policy.GatePolicy;
import dev.drawbridge.registry.ImageLookup;
import dev.drawbridge.registry.LookupOptions;
import dev.drawbridge.registry.LookupResult;
import dev.drawbridge.values.EnvironmentName;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gate: verifies every image of a revision against the environment's policy and decides PASS,
 * BLOCK or ERROR for the whole revision. Images from a registry the policy does not allow are not
 * looked up at all in enforce mode: the gate does not talk to registries it does not trust.
 */
public final class Gate {

    private final ImageLookup lookup;
    private final ImageChecks imageChecks;
    private final ManifestChecks manifestChecks = new ManifestChecks();

    public Gate(ImageLookup lookup, Clock clock) {
        this.lookup = lookup;
        this.imageChecks = new ImageChecks(clock);
    }

    /**
     * @param images        the images found in the rendered manifests
     * @param objects       the rendered objects (for manifest rules)
     * @param policy        the environment's policy
     * @param options       lookup options of the environment (platforms)
     * @param inspectErrors problems found while inspecting (malformed references): each makes the decision ERROR
     */
    public GateResult evaluate(List<ImageUse> images, List<? extends JsonNode> objects, GatePolicy policy,
                               LookupOptions options, List<String> inspectErrors) {
        boolean enforce = policy.mode() == GatePolicy.Mode.ENFORCE;
        Set<ImageReference> toLookUp = new LinkedHashSet<>();
        for (ImageUse use : images) {
            if (!enforce || imageChecks.registryAllowed(use.parsed(), policy)) {
                toLookUp.add(use.parsed());
            }
        }
        Map<ImageReference, LookupResult> facts = toLookUp.isEmpty() ? Map.of() : lookup.lookupAll(toLookUp, options);

        List<ImageVerdict> verdicts = new ArrayList<>();
        for (ImageUse use : images) {
            LookupResult result = facts.get(use.parsed());
            verdicts.add(verdict(use, result, policy, toLookUp.contains(use.parsed())));
        }
        List<Violation> manifestViolations = manifestChecks.evaluate(objects, policy);
        List<String> errors = new ArrayList<>(inspectErrors);
        return new GateResult(decide(verdicts, manifestViolations, errors, enforce), verdicts, manifestViolations,
                errors, List.of());
    }

    private ImageVerdict verdict(ImageUse use, LookupResult result, GatePolicy policy, boolean lookedUp) {
        boolean enforce = policy.mode() == GatePolicy.Mode.ENFORCE;
        if (!lookedUp) {
            // enforce mode, registry not allowed: blocked without contacting it
            List<Violation> violations = imageChecks.withoutFacts(use.parsed(), policy);
            return new ImageVerdict(use.reference(), use.parsed(), use.parsed().digest(), use.workloads(),
                    Verdict.BLOCK, violations, List.of());
        }
        if (result instanceof LookupResult.Failed failed || result == null) {
            String why = result == null ? "no answer from the registry lookup"
                    : ((LookupResult.Failed) result).error().getMessage();
            String message = why.startsWith("could not verify") ? why : "could not verify " + use.parsed() + ": " + why;
            return new ImageVerdict(use.reference(), use.parsed(), use.parsed().digest(), use.workloads(),
                    Verdict.ERROR, List.of(Violation.of(Rules.VERIFY_ERROR, message,
                    "check that the registry is reachable and the credentials are valid, then retry")), List.of());
        }
        var found = ((LookupResult.Found) result).facts();
        ImageChecks.Evaluation evaluation = imageChecks.evaluate(use.parsed(), found, policy);
        Verdict verdict = evaluation.violations().isEmpty() ? Verdict.PASS : enforce ? Verdict.BLOCK : Verdict.WARN;
        Digest digest = found.digest();
        return new ImageVerdict(use.reference(), use.parsed(), digest, use.workloads(), verdict,
                evaluation.violations(), evaluation.accepted());
    }

    /**
     * {@code promotion.evidence}: every image digest of the revision must have been applied by a PASS decision
     * of environment {@code from} (by digest, not commit sha, so squash merges do not break it). An image
     * without that evidence gets a violation (BLOCK in enforce mode, WARN in warn mode).
     *
     * @param applied the digests applied by PASS decisions of {@code from}
     */
    public GateResult requirePromotion(GateResult result, EnvironmentName from, Set<String> applied, GatePolicy policy) {
        boolean enforce = policy.mode() == GatePolicy.Mode.ENFORCE;
        List<ImageVerdict> verdicts = new ArrayList<>();
        for (ImageVerdict v : result.images()) {
            if (v.verdict() == Verdict.ERROR || v.digest() == null || applied.contains(v.digest().toString())) {
                verdicts.add(v);
                continue;
            }
            List<Violation> violations = new ArrayList<>(v.violations());
            violations.add(Violation.of(Rules.PROMOTION_EVIDENCE, v.digest().shortForm() + " was never applied by a PASS"
                            + " decision of environment " + from,
                    "promote it through " + from + " first: merge there, let the gate pass it and the reconciler apply it"));
            Verdict verdict = v.verdict() == Verdict.BLOCK || enforce ? Verdict.BLOCK : Verdict.WARN;
            verdicts.add(new ImageVerdict(v.reference(), v.image(), v.digest(), v.workloads(), verdict, violations,
                    v.accepted()));
        }
        return new GateResult(decide(verdicts, result.manifestViolations(), result.errors(), enforce), verdicts,
                result.manifestViolations(), result.errors(), result.skipped());
    }

    private static Decision decide(List<ImageVerdict> verdicts, List<Violation> manifestViolations,
                                   List<String> errors, boolean enforce) {
        if (!errors.isEmpty() || verdicts.stream().anyMatch(v -> v.verdict() == Verdict.ERROR)) {
            return Decision.ERROR;
        }
        if (verdicts.stream().anyMatch(v -> v.verdict() == Verdict.BLOCK) || (enforce && !manifestViolations.isEmpty())) {
            return Decision.BLOCK;
        }
        return Decision.PASS;
    }
}
