package dev.drawbridge.reconcile;

import dev.drawbridge.apply.LeaseRecord;
import dev.drawbridge.apply.LeaseStore;
import dev.drawbridge.apply.LeaseStore.LeaseException;
import dev.drawbridge.threads.KeptThreads;
import dev.drawbridge.values.EnvironmentName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Spreads environments over the replicas of serve with Kubernetes Leases ({@code coordination.k8s.io/v1}),
 * as client-go's leader election does, one Lease per environment ({@code drawbridge-<environment>}) plus one
 * per replica ({@code drawbridge-replica-<identity>}) so that each replica knows how many there are.
 *
 * <p>Every renew period, {@link #tick()} lists the Leases once (one LIST tells every holder and renewal) and
 * then: renews this replica's own; renews the environments it holds; releases those beyond its share
 * ({@code ceil(environments / live replicas)}), so a replica that joins gets its part; takes a Lease that is
 * absent, released, or not renewed for its duration (a holder that stopped), while below its share. A replica
 * that has just started takes no Lease in its first renew period: it announces itself (its own Lease) and waits one
 * renew period, so that replicas started beside it (the pods of one Deployment) count each other and each takes
 * its share at once, instead of the first one taking every environment and handing half of them over one or two
 * renew periods later. Each replica takes first, and keeps first, the environments of its own stripe (those whose
 * position in the configuration, modulo the number of live replicas, is its rank among their sorted identities), so
 * that replicas taking at the same time do not reach for the same Leases. The
 * writes of a round go out concurrently, at most {@link #DEFAULT_WRITERS} at a time, so a round of hundreds of
 * Leases takes a few round trips' time, not hundreds; the round runs on a thread of its own, never behind a
 * reconcile. Every write names the resourceVersion it read, so two replicas never both take one Lease: the
 * API server refuses the second (409). A replica holds an environment only while its last successful write is
 * younger than the Lease's duration less one renew period (counted from right before that write); past that it
 * stops acting on it even before another replica takes over. {@link #close()} stops the writers' threads.
 *
 * <p>A trigger that reaches a replica not holding the environment (a webhook, {@code POST .../reconcile})
 * is written as the annotation {@value #TRIGGER} on the Lease; the holder sees it at its next tick.
 */
public final class EnvironmentLeases implements Ownership, AutoCloseable {

    /** The annotation a replica writes on an environment's Lease to ask its holder to reconcile. */
    public static final String TRIGGER = "drawbridge.dev/trigger";
    static final String REPLICA_PREFIX = "drawbridge-replica-";
    /** Lease writes in flight at once: a round of 500 renewals is ~32 round trips long, not 500. */
    public static final int DEFAULT_WRITERS = 16;

    /** Told what changed at a tick: environments this replica took, lost, or was asked to reconcile. */
    public interface Listener {
        void acquired(EnvironmentName environment);

        void lost(EnvironmentName environment);

        void triggered(EnvironmentName environment);
    }

    private static final Logger log = LoggerFactory.getLogger(EnvironmentLeases.class);

    private final LeaseStore store;
    private final String identity;
    private final Duration duration;
    private final Duration renew;
    private final List<EnvironmentName> environments;
    private final Clock clock;
    private final ExecutorService writers;
    private volatile Listener listener = new Listener() {
        @Override
        public void acquired(EnvironmentName environment) {
        }

        @Override
        public void lost(EnvironmentName environment) {
        }

        @Override
        public void triggered(EnvironmentName environment) {
        }
    };

    /** Per environment: when this replica last wrote its Lease as the holder (absent: not held). */
    private final Map<EnvironmentName, Instant> heldSince = new ConcurrentHashMap<>();
    /** Per Lease name: the holder of the Lease as last read (for the API and pages). */
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    /** Per Lease name: the resourceVersion last seen, and when this replica first saw it (client-go's observedTime). */
    private final Map<String, Observed> observed = new HashMap<>();
    /**
     * When this replica first announced itself ({@link #announce()} or its first {@link #tick()}): it takes no Lease
     * before one renew period later (the other replicas that start beside it have announced themselves by then).
     */
    private Instant firstTick;
    /** Per environment: the value of {@link #TRIGGER} already acted on (null values: a synchronized map). */
    private final Map<EnvironmentName, String> triggersSeen = java.util.Collections.synchronizedMap(new HashMap<>());

    private record Observed(String resourceVersion, Instant at) {
    }

    public EnvironmentLeases(LeaseStore store, String identity, Duration duration, Duration renew,
                             List<EnvironmentName> environments, Clock clock) {
        this(store, identity, duration, renew, environments, clock, DEFAULT_WRITERS);
    }

    /** @param writers how many Lease writes of a round may be in flight at once (1: one after the other) */
    public EnvironmentLeases(LeaseStore store, String identity, Duration duration, Duration renew,
                             List<EnvironmentName> environments, Clock clock, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1, not " + writers);
        }
        this.store = store;
        this.identity = identity;
        this.duration = duration;
        this.renew = renew;
        this.environments = List.copyOf(environments);
        this.clock = clock;
        // threads started as writes overlap and then kept (a round every renew period would start them again);
        // a round waits for all its writes
        this.writers = KeptThreads.pool("leases-write", writers);
    }

    public void listener(Listener listener) {
        this.listener = listener;
    }

    public String identity() {
        return identity;
    }

    public Duration renewPeriod() {
        return renew;
    }

    public static String leaseName(EnvironmentName environment) {
        return "drawbridge-" + environment;
    }

    @Override
    public boolean holds(EnvironmentName environment) {
        Instant since = heldSince.get(environment);
        return since != null && clock.instant().isBefore(since.plus(duration).minus(renew));
    }

    @Override
    public String holder(EnvironmentName environment) {
        return holds(environment) ? identity : holders.get(leaseName(environment));
    }

    /**
     * Announces this replica (writes its own Lease) before its first {@link #tick()}, so that the renew period it
     * waits before taking Leases runs while the rest of the process starts. Never throws: a replica whose announcement
     * failed announces itself at its first tick and waits from then.
     */
    public synchronized void announce() {
        if (firstTick != null) {
            return;
        }
        Instant now = clock.instant();
        String name = REPLICA_PREFIX + identity;
        try {
            if (write(store.read(name).orElse(null), name, now) != null) {
                firstTick = now;
                log.info("leases: replica {} announced; it takes its share one renew period later ({})", identity,
                        now.plus(renew));
            }
        } catch (LeaseException e) {
            log.warn("leases: {}", e.getMessage());
        }
    }

    /**
     * How long until this replica takes Leases: one renew period after it announced itself, less what has passed
     * since (zero once it may). Serve ticks once more at that moment, instead of waiting for the next renewal.
     */
    public synchronized Duration untilSettled() {
        if (firstTick == null) {
            return renew;
        }
        Duration left = Duration.between(clock.instant(), firstTick.plus(renew));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * One round of renewing, balancing, taking over and reading triggers. Never throws. The writes of a round go
     * out concurrently (at most {@code writers} at a time): a replica holding hundreds of Leases renews them all
     * in about the time of {@code Leases / writers} round trips instead of one after the other, which at 500
     * Leases took longer than a renew period and let them run out before they were renewed.
     */
    public synchronized void tick() {
        List<LeaseRecord> leases;
        try {
            leases = store.list();
        } catch (LeaseException e) {
            log.warn("leases: {}", e.getMessage());
            expireOwn();
            return;
        }
        Instant now = clock.instant();
        Map<String, LeaseRecord> byName = new HashMap<>();
        for (LeaseRecord lease : leases) {
            byName.put(lease.name(), lease);
            holders.put(lease.name(), lease.holder() == null ? "" : lease.holder());
            Observed seen = observed.get(lease.name());
            if (seen == null || !seen.resourceVersion().equals(lease.resourceVersion())) {
                observed.put(lease.name(), new Observed(lease.resourceVersion(), now));
            }
        }
        write(byName.get(REPLICA_PREFIX + identity), REPLICA_PREFIX + identity, now);
        if (firstTick == null) {
            firstTick = now;
        }
        boolean settled = !now.isBefore(firstTick.plus(renew));

        List<String> replicas = new ArrayList<>(List.of(identity));
        leases.stream().filter(l -> l.name().startsWith(REPLICA_PREFIX) && !l.name().equals(REPLICA_PREFIX + identity)
                && !l.released() && !expired(l, now)).forEach(l -> replicas.add(l.name().substring(REPLICA_PREFIX.length())));
        java.util.Collections.sort(replicas);
        int share = (environments.size() + replicas.size() - 1) / replicas.size();
        List<EnvironmentName> stripeFirst = stripeFirst(replicas.size(), replicas.indexOf(identity));

        List<EnvironmentName> mine = new ArrayList<>();
        for (EnvironmentName env : stripeFirst) {
            LeaseRecord lease = byName.get(leaseName(env));
            if (lease != null && lease.heldBy(identity)) {
                mine.add(env);
            } else if (heldSince.remove(env) != null) {
                lost(env, "now held by " + (lease == null ? "nobody" : lease.holder()));
            }
        }
        List<EnvironmentName> kept = mine.subList(0, Math.min(share, mine.size()));
        List<EnvironmentName> surplus = mine.subList(kept.size(), mine.size());
        for (EnvironmentName env : surplus) {
            if (heldSince.remove(env) != null) { // stops acting on it before letting it go
                listener.lost(env);
            }
        }
        List<Callable<Written>> writes = new ArrayList<>();
        kept.forEach(env -> writes.add(writing(byName.get(leaseName(env)), env, now)));
        surplus.forEach(env -> writes.add(releasing(byName.get(leaseName(env)), env)));
        List<Written> renewed = all(writes);
        int holding = 0;
        for (int i = 0; i < kept.size(); i++) {
            if (renewed(kept.get(i), renewed.get(i), byName.get(leaseName(kept.get(i))))) {
                holding++;
            }
        }

        List<EnvironmentName> free = new ArrayList<>();
        for (EnvironmentName env : stripeFirst) {
            if (!settled || holding + free.size() >= share) {
                break;
            }
            LeaseRecord lease = byName.get(leaseName(env));
            if (lease == null || !lease.heldBy(identity) && (lease.released() || expired(lease, now))) {
                free.add(env);
            }
        }
        List<Written> taken = all(free.stream().map(env -> writing(byName.get(leaseName(env)), env, now)).toList());
        for (int i = 0; i < free.size(); i++) {
            took(free.get(i), taken.get(i), byName.get(leaseName(free.get(i))));
        }
    }

    /**
     * The environments in the order this replica keeps and takes them: first its stripe (position modulo
     * {@code replicas} equal to {@code rank}), then the others, each in the configuration's order.
     */
    private List<EnvironmentName> stripeFirst(int replicas, int rank) {
        List<EnvironmentName> ordered = new ArrayList<>(environments.size());
        for (int i = rank; i < environments.size(); i += replicas) {
            ordered.add(environments.get(i));
        }
        for (int i = 0; i < environments.size(); i++) {
            if (i % replicas != rank) {
                ordered.add(environments.get(i));
            }
        }
        return ordered;
    }

    /**
     * A write of a round: the Lease as written (null: not written), and whether this replica had stopped acting on
     * the environment (or nearly: within {@link #LAPSE_MARGIN}) before the write made it its own again.
     */
    private record Written(LeaseRecord lease, boolean lapsed) {
        static final Written NOT = new Written(null, false);
    }

    /**
     * How close to running out a renewed environment counts as having run out: the loop may have skipped it in that
     * moment, so it is told to run it again (an extra run of an unchanged environment writes nothing).
     */
    static final Duration LAPSE_MARGIN = Duration.ofSeconds(1);

    /**
     * Writes {@code lease} (null: absent) with this replica as its holder, on a writer's thread, and holds the
     * environment from right before that write at once: not from the start of the round (a round of many Leases
     * takes a while, and the other replicas count from when they see the write, later still), and not only when
     * the whole round is done (the earliest holds of a slow round would run out meanwhile).
     */
    private Callable<Written> writing(LeaseRecord lease, EnvironmentName env, Instant roundStart) {
        return () -> {
            Instant at = latest(roundStart);
            LeaseRecord written = write(lease, leaseName(env), at);
            if (written == null) {
                return Written.NOT;
            }
            boolean[] lapsed = {false};
            heldSince.compute(env, (key, since) -> {
                lapsed[0] = since == null || !clock.instant().plus(LAPSE_MARGIN).isBefore(since.plus(duration).minus(renew));
                return since != null && since.isAfter(at) ? since : at;
            });
            return new Written(written, lapsed[0]);
        };
    }

    private Callable<Written> releasing(LeaseRecord lease, EnvironmentName env) {
        return () -> {
            release(lease, env.value());
            return Written.NOT;
        };
    }

    /** Runs {@code writes} on the writers and waits for all of them; the answers in order. */
    private List<Written> all(List<Callable<Written>> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        List<Written> answers = new ArrayList<>(writes.size());
        try {
            for (Future<Written> answer : writers.invokeAll(writes)) {
                answers.add(done(answer));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: what is held runs out by itself ({@link #holds})
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("leases: closed, nothing written");
        }
        while (answers.size() < writes.size()) {
            answers.add(Written.NOT);
        }
        return answers;
    }

    private static Written done(Future<Written> answer) throws InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException | java.util.concurrent.CancellationException e) {
            log.warn("leases: unexpected {}", (e.getCause() == null ? e : e.getCause()).toString());
            return Written.NOT;
        }
    }

    /** Asks the holder to reconcile: a new value of the trigger annotation (retried once on a conflict). */
    @Override
    public void passOn(EnvironmentName environment) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Optional<LeaseRecord> lease = store.read(leaseName(environment));
                if (lease.isEmpty()) {
                    return; // nobody holds it yet: whoever takes it reconciles at once
                }
                store.replace(lease.get().withAnnotation(TRIGGER, clock.instant().toString() + "/" + identity));
                return;
            } catch (LeaseException e) {
                if (!e.conflict()) {
                    log.warn("{}: could not pass the trigger on to its holder: {}", environment, e.getMessage());
                    return;
                }
            }
        }
    }

    /**
     * Lets every held Lease go (a graceful stop), so the other replicas take them at their next tick
     * instead of after the Lease's duration.
     */
    public synchronized void releaseAll() {
        List<String> names = new ArrayList<>(heldSince.keySet().stream().map(EnvironmentLeases::leaseName).toList());
        names.add(REPLICA_PREFIX + identity); // no longer counted among the replicas: the others take every share
        for (String name : names) {
            try {
                store.read(name).filter(l -> l.heldBy(identity)).ifPresent(l -> release(l, name));
            } catch (LeaseException e) {
                log.debug("{}: lease not released: {}", name, e.getMessage());
            }
        }
        heldSince.clear();
    }

    /** Stops the writers' threads; a round still running ends with what was written. */
    @Override
    public void close() {
        writers.shutdownNow();
    }

    /** Not renewed for its duration, by the Lease's own renew time where it is not in the future, else by when it was seen. */
    private boolean expired(LeaseRecord lease, Instant now) {
        Observed seen = observed.get(lease.name());
        Instant last = seen == null ? now : seen.at();
        if (lease.renewTime() != null && !lease.renewTime().isAfter(now) && lease.renewTime().isBefore(last)) {
            last = lease.renewTime();
        }
        int seconds = lease.durationSeconds() > 0 ? lease.durationSeconds() : (int) duration.toSeconds();
        return !now.isBefore(last.plusSeconds(seconds));
    }

    /** After the renewal of a Lease this replica held: held on, or lost. True when it holds the environment. */
    private boolean renewed(EnvironmentName env, Written written, LeaseRecord lease) {
        if (written.lease() != null) {
            if (written.lapsed()) {
                // while it had lapsed the loop skipped the environment: it runs again only when told
                log.info("{}: this replica ({}) holds the environment again", env, identity);
                listener.acquired(env);
            }
            seeTrigger(env, lease);
            return true;
        }
        if (!holds(env) && heldSince.remove(env) != null) {
            lost(env, "not renewed");
        }
        return false;
    }

    /** After an attempt to take a free Lease. */
    private void took(EnvironmentName env, Written written, LeaseRecord lease) {
        if (written.lease() == null) {
            return; // another replica took it first
        }
        triggersSeen.put(env, written.lease().annotations().get(TRIGGER));
        log.info("{}: this replica ({}) holds the environment now{}", env, identity,
                lease == null || lease.released() ? "" : " (taken over from " + lease.holder() + ")");
        listener.acquired(env);
    }

    /** Lets {@code lease} go (the caller forgets it); {@code what} is the environment, or the Lease's name. */
    private void release(LeaseRecord lease, String what) {
        try {
            store.replace(new LeaseRecord(lease.name(), "", lease.durationSeconds(), lease.acquireTime(), clock.instant(),
                    lease.transitions(), lease.annotations(), lease.resourceVersion()));
            log.info("{}: released by {}", what, identity);
        } catch (LeaseException e) {
            log.debug("{}: release failed: {}", what, e.getMessage());
        }
    }

    /** The clock's time now, never before {@code roundStart}. */
    private Instant latest(Instant roundStart) {
        Instant at = clock.instant();
        return at.isBefore(roundStart) ? roundStart : at;
    }

    private void lost(EnvironmentName env, String why) {
        log.info("{}: this replica ({}) no longer holds the environment: {}", env, identity, why);
        listener.lost(env);
    }

    private void seeTrigger(EnvironmentName env, LeaseRecord lease) {
        String value = lease.annotations().get(TRIGGER);
        String seen = triggersSeen.put(env, value);
        if (value != null && !value.equals(seen)) {
            listener.triggered(env);
        }
    }

    /** Creates or renews a Lease with this replica as its holder; null when another replica wrote it first. */
    private LeaseRecord write(LeaseRecord lease, String name, Instant now) {
        int seconds = (int) Math.max(1, duration.toSeconds());
        try {
            if (lease == null) {
                return store.create(new LeaseRecord(name, identity, seconds, now, now, 0, Map.of(), null));
            }
            return store.replace(lease.withHolder(identity, seconds, now));
        } catch (LeaseException e) {
            if (!e.conflict()) {
                log.warn("leases: {}", e.getMessage());
            }
            return null;
        }
    }

    /** The Leases cannot be read: what this replica holds runs out by itself ({@link #holds}). */
    private void expireOwn() {
        for (EnvironmentName env : new ArrayList<>(heldSince.keySet())) {
            if (!holds(env)) {
                heldSince.remove(env);
                lost(env, "the Leases cannot be reached");
            }
        }
    }
}
