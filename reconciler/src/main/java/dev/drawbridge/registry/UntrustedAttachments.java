package dev.drawbridge.registry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Why attachments of an image did not count where the registry names trusted keys ({@code signed-by}):
 * one short reason per distinct problem, for scan reports and for SBOMs, so the gate can say that a report
 * exists but is not signed by a trusted key instead of only "no report". Empty where nothing was refused.
 *
 * @param reports reasons scan reports did not count
 * @param sboms   reasons SBOMs did not count
 */
public record UntrustedAttachments(List<String> reports, List<String> sboms) {
    public static final UntrustedAttachments NONE = new UntrustedAttachments(List.of(), List.of());

    public UntrustedAttachments {
        reports = List.copyOf(new LinkedHashSet<>(reports));
        sboms = List.copyOf(new LinkedHashSet<>(sboms));
    }

    public boolean isEmpty() {
        return reports.isEmpty() && sboms.isEmpty();
    }

    UntrustedAttachments and(UntrustedAttachments other) {
        if (other.isEmpty()) {
            return this;
        }
        List<String> r = new ArrayList<>(reports);
        r.addAll(other.reports);
        List<String> s = new ArrayList<>(sboms);
        s.addAll(other.sboms);
        return new UntrustedAttachments(r, s);
    }
}
