package dev.drawbridge.promotion;

import dev.drawbridge.decision.DecisionRecord;
import dev.drawbridge.decision.DecisionStore;
import dev.drawbridge.values.EnvironmentName;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Decision records kept in memory, for tests of what reads them (the Kubernetes store has its own tests). */
final class MemoryDecisionStore implements DecisionStore {

    private final List<DecisionRecord> records = new CopyOnWriteArrayList<>();
    private Instant next = Instant.parse("2026-11-29T10:00:00Z");

    /** Records that {@code environment} applied {@code revision} with PASS, with these images (reference, digest). */
    synchronized void applied(String environment, String revision, DecisionRecord.RecordedImage... images) {
        next = next.plusSeconds(60);
        records.add(new DecisionRecord(EnvironmentName.of(environment), revision, "p".repeat(40), DecisionRecord.PASS, next, List.of(images),
                true, null, "passed"));
    }

    @Override
    public void record(DecisionRecord record) {
        records.add(record);
    }

    @Override
    public Set<String> appliedPassDigests(EnvironmentName environment) {
        return records.stream().filter(r -> r.environment().equals(environment) && r.applied())
                .flatMap(r -> r.digests().stream()).collect(Collectors.toSet());
    }

    @Override
    public Optional<DecisionRecord> latest(EnvironmentName environment) {
        return records.stream().filter(r -> r.environment().equals(environment)).max(Comparator.comparing(DecisionRecord::time));
    }

    @Override
    public Optional<DecisionRecord> latestApplied(EnvironmentName environment) {
        return records.stream().filter(r -> r.environment().equals(environment) && r.applied())
                .max(Comparator.comparing(DecisionRecord::time));
    }
}
