package dev.drawbridge.decision;

import dev.drawbridge.values.EnvironmentName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One decision of the gate on one revision of one environment, as kept in the cluster (a {@code DecisionRecord}
 * custom resource, see {@link KubernetesDecisionStore}). Holds only references, digests, verdicts and rule
 * names: never a secret, never object data.
 *
 * @param environment    the environment, e.g. {@code production} (a DNS label, so also a valid label value: it is used as one)
 * @param revision       the Git commit sha decided on; null when the source could not be read
 * @param policyRevision the revision of the policies the decision was made under; null when unknown
 * @param decision       {@code PASS}, {@code BLOCK} or {@code ERROR}
 * @param time           when the decision was made
 * @param images         every image of the revision with the digest it was verified at and its verdict
 * @param applied        true only when the revision was applied successfully (so only with {@code PASS})
 * @param reason         the machine-readable reason of a failure (e.g. {@code GATE_BLOCKED}); null on success
 * @param description    the commit status description, at most 140 characters
 */
public record DecisionRecord(EnvironmentName environment, String revision, String policyRevision, String decision,
                             Instant time, List<RecordedImage> images, boolean applied, String reason,
                             String description) {

    public static final String PASS = "PASS";
    public static final String BLOCK = "BLOCK";
    public static final String ERROR = "ERROR";

    /** The longest description a commit status (and the CRD) accepts. */
    public static final int MAX_DESCRIPTION = 140;

    private static final Set<String> DECISIONS = Set.of(PASS, BLOCK, ERROR);

    public DecisionRecord {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(time, "time");
        if (!DECISIONS.contains(decision)) {
            throw new IllegalArgumentException("Invalid decision (PASS, BLOCK or ERROR): " + decision);
        }
        if (applied && !PASS.equals(decision)) {
            throw new IllegalArgumentException("Only a PASS decision can be applied: " + environment + " " + decision);
        }
        revision = blankToNull(revision);
        policyRevision = blankToNull(policyRevision);
        reason = blankToNull(reason);
        images = images == null ? List.of() : List.copyOf(images);
        description = description == null ? "" : description;
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("Description longer than " + MAX_DESCRIPTION + " characters ("
                    + description.length() + "): " + description);
        }
    }

    /** Whether {@code other} records the same decision: every field equal but the time it was made. */
    public boolean sameDecisionAs(DecisionRecord other) {
        return other != null && environment.equals(other.environment) && Objects.equals(revision, other.revision)
                && Objects.equals(policyRevision, other.policyRevision) && decision.equals(other.decision)
                && images.equals(other.images) && applied == other.applied && Objects.equals(reason, other.reason)
                && description.equals(other.description);
    }

    /** Every digest of the record's images that is known (in order, without nulls). */
    public List<String> digests() {
        return images.stream().map(RecordedImage::digest).filter(Objects::nonNull).distinct().toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * One image of a recorded decision.
     *
     * @param reference  the image reference as written in the manifests
     * @param digest     the verified digest ({@code sha256:<64 hex>}); null when it could not be resolved
     * @param verdict    {@code PASS}, {@code WARN}, {@code BLOCK} or {@code ERROR}
     * @param violations the names of the rules the image broke (e.g. {@code scan.severity}), one line each
     */
    public record RecordedImage(String reference, String digest, String verdict, List<String> violations) {

        private static final Set<String> VERDICTS = Set.of("PASS", "WARN", "BLOCK", "ERROR");
        private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

        public RecordedImage {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(verdict, "verdict");
            if (reference.isBlank()) {
                throw new IllegalArgumentException("Invalid image reference (blank)");
            }
            if (digest != null && !DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("Invalid digest (sha256:<64 hex>): " + digest);
            }
            if (!VERDICTS.contains(verdict)) {
                throw new IllegalArgumentException("Invalid verdict (PASS, WARN, BLOCK or ERROR): " + verdict);
            }
            violations = violations == null ? List.of() : violations.stream()
                    .map(v -> v.lines().findFirst().orElse("").strip()).filter(v -> !v.isEmpty()).toList();
        }

        /** An image with no violations. */
        public RecordedImage(String reference, String digest, String verdict) {
            this(reference, digest, verdict, List.of());
        }
    }
}
