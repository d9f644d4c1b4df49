package dev.drawbridge.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;


import dev.drawbridge.image.Digest;
import dev.drawbridge.image.ImageReference;
import dev.drawbridge.threads.KeptThreads;

/**
 * The port the gate uses to ask registries about images. Per image: resolve the tag to a digest (unless the
 * reference pins one), then read the digest's manifests, image configs and scan result.
 * <ul>
 * <li>Concurrent, and bounded per registry by {@link RegistrySettings#concurrency()} (a semaphore around
 * every HTTP request to that registry).</li>
 * <li>Coalesced: identical references are looked up once per call, and references that resolve to the same
 * registry, repository and digest share one digest lookup, even when they run at the same time.</li>
 * <li>Cached: digest facts (content-addressed, so they cannot change, except the scan, which is why there
 * is a TTL) are kept for the TTL, and so is a tag's resolution to a digest. A tag that moves within the
 * TTL is seen when its entry expires; until then the gate keeps verifying, and apply keeps pinning, the
 * digest it resolved before: what runs is always a digest that was verified, never an unverified one.</li>
 * <li>Fail closed: every failure is a {@link LookupResult.Failed} whose message starts with "could not
 * verify"; nothing is ever reported as found when it was not.</li>
 * </ul>
 * Settings are chosen by the reference's host (exact match, port included), else
 * {@link RegistrySettings#anonymous(String)}.
 */
public final class RegistryLookup implements ImageLookup, AutoCloseable {

    private record FactsKey(String host, String repository, Digest digest, Set<String> platforms, boolean sbom) {
    }

    private record Cached(DigestFacts facts, Instant expiresAt) {
    }

    private record TagKey(String host, String repository, String tag) {
    }

    private record ResolvedTag(Digest digest, Instant expiresAt) {
    }

    private static final int THREADS = 32;

    private final Map<String, RegistrySettings> settingsByHost = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final Function<RegistrySettings, HttpTransport> clients;
    private final TokenCache tokens;
    private final Map<String, RegistryClient> registries = new ConcurrentHashMap<>();
    private final Map<FactsKey, Cached> cache = new ConcurrentHashMap<>();
    private final Map<FactsKey, CompletableFuture<DigestFacts>> inFlight = new ConcurrentHashMap<>();
    private final Map<TagKey, ResolvedTag> tags = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    /** Sub-requests of one lookup that may run beside it (the scan source): one per digest load, which runs on a
     * lookup thread or its caller's; they wait on nothing, so a lookup waiting for one (in line when all are busy)
     * cannot starve. The per-registry semaphore still bounds what reaches a registry. */
    private final ExecutorService parallel;

    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong tagResolutions = new AtomicLong();
    private final AtomicLong httpRequests = new AtomicLong();
    private final AtomicLong tagSchemaFallbacks = new AtomicLong();

    /** With the default HTTP transport per registry ({@link #defaultClient(RegistrySettings)}). */
    public RegistryLookup(List<RegistrySettings> settings, Clock clock, Duration cacheTtl) {
        this(settings, clock, cacheTtl, RegistryLookup::defaultClient);
    }

    /**
     * @param settings how to reach each configured registry host
     * @param clock    for the cache and token expiry
     * @param cacheTtl how long digest facts are kept; zero disables the cache
     * @param clients  makes the HTTP transport of one registry (called once per host)
     */
    public RegistryLookup(List<RegistrySettings> settings, Clock clock, Duration cacheTtl,
                          Function<RegistrySettings, HttpTransport> clients) {
        settings.forEach(s -> settingsByHost.put(s.host(), s));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(cacheTtl, "cacheTtl");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.tokens = new TokenCache(clock);
        // threads kept once started, so that their number does not follow the schedule of reconciles up and down
        this.executor = KeptThreads.pool("registry-lookup", THREADS);
        this.parallel = KeptThreads.pool("registry-scan", THREADS);
    }

    /**
     * Looks every reference up, concurrently. Never throws for a registry problem: each reference maps to
     * {@link LookupResult.Found} or {@link LookupResult.Failed}. The map keeps the order of {@code refs}.
     */
    public Map<ImageReference, LookupResult> lookupAll(Collection<ImageReference> refs, LookupOptions options) {
        Map<ImageReference, LookupResult> results = new LinkedHashMap<>();
        submit(refs, options).forEach((ref, future) -> results.put(ref, future.join()));
        return results;
    }

    /**
     * Like {@link #lookupAll(Collection, LookupOptions)}, but a reference whose lookup has not finished when
     * {@code deadline} has passed (measured from the call) is a {@link LookupResult.Failed} with status 0; its
     * requests still end on their own timeouts.
     */
    public Map<ImageReference, LookupResult> lookupAll(Collection<ImageReference> refs, LookupOptions options,
                                                       Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        Map<ImageReference, LookupResult> results = new LinkedHashMap<>();
        submit(refs, options).forEach((ref, future) -> {
            try {
                results.put(ref, future.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                results.put(ref, new LookupResult.Failed(new RegistryException(ref.host(), ref.repository(), 0,
                        "could not verify " + ref.name() + ": the lookup did not finish within " + deadline.toMillis()
                                + " ms")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.put(ref, new LookupResult.Failed(new RegistryException(ref.host(), ref.repository(), 0,
                        "could not verify " + ref.name() + ": interrupted")));
            } catch (ExecutionException e) {
                results.put(ref, new LookupResult.Failed(new RegistryException(ref.host(), ref.repository(), 0,
                        "could not verify " + ref.name() + ": unexpected " + e.getCause().getClass().getSimpleName(),
                        e.getCause())));
            }
        });
        return results;
    }

    /**
     * One task per distinct reference (identical references are looked up once); a reference whose tag and facts
     * are both in the cache is answered at once, in the calling thread (a gate of a hundred images that are all
     * known hands nothing to the pool).
     */
    private Map<ImageReference, CompletableFuture<LookupResult>> submit(Collection<ImageReference> refs,
                                                                       LookupOptions options) {
        Map<ImageReference, CompletableFuture<LookupResult>> futures = new LinkedHashMap<>();
        for (ImageReference ref : new LinkedHashSet<>(refs)) {
            DigestFacts cached = cached(ref, options);
            futures.put(ref, cached != null ? CompletableFuture.completedFuture(new LookupResult.Found(cached.forReference(ref)))
                    : CompletableFuture.supplyAsync(() -> lookup(ref, options), executor));
        }
        return futures;
    }

    /** The facts of {@code ref} when the cache holds its tag's digest (for a tag) and that digest's facts, unexpired. */
    private DigestFacts cached(ImageReference ref, LookupOptions options) {
        Instant now = clock.instant();
        Digest digest = ref.digest();
        ResolvedTag resolved = null;
        if (digest == null) {
            resolved = tags.get(new TagKey(ref.host(), ref.repository(), ref.tag()));
            if (resolved == null || !now.isBefore(resolved.expiresAt())) {
                return null;
            }
            digest = resolved.digest();
        }
        Cached cached = cache.get(new FactsKey(ref.host(), ref.repository(), digest, options.platforms(), options.sbom()));
        if (cached == null || !now.isBefore(cached.expiresAt())) {
            return null;
        }
        cacheHits.addAndGet(resolved == null ? 1 : 2); // as inspect counts them: the tag's hit and the facts'
        return cached.facts();
    }

    /** Looks one reference up in the calling thread. */
    public LookupResult lookup(ImageReference ref, LookupOptions options) {
        try {
            return new LookupResult.Found(inspect(ref, options));
        } catch (RegistryException e) {
            return new LookupResult.Failed(e);
        } catch (RuntimeException e) {
            return new LookupResult.Failed(new RegistryException(ref.host(), ref.repository(), 0,
                    "could not verify " + ref.name() + ": unexpected " + e.getClass().getSimpleName(), e));
        }
    }

    /** The facts of one image, or the reason they could not be had. */
    public ImageFacts inspect(ImageReference ref, LookupOptions options) throws RegistryException {
        RegistryClient registry = registry(ref.host());
        Digest digest = ref.digest();
        Manifest prefetched = null;
        if (digest == null) {
            TagKey tagKey = new TagKey(ref.host(), ref.repository(), ref.tag());
            ResolvedTag resolved = tags.get(tagKey);
            if (resolved != null && clock.instant().isBefore(resolved.expiresAt())) {
                cacheHits.incrementAndGet();
                digest = resolved.digest();
            } else {
                tagResolutions.incrementAndGet();
                Optional<DigestFacts> tagged = registry.loadTagged(ref.repository(), ref.tag(), options.sbom());
                if (tagged.isPresent()) {
                    // Harbor said everything in one answer: the digest, its created time and its scan
                    lookups.incrementAndGet();
                    DigestFacts facts = tagged.get();
                    remember(tagKey, facts.digest());
                    remember(new FactsKey(ref.host(), ref.repository(), facts.digest(), options.platforms(), options.sbom()), facts);
                    return facts.forReference(ref);
                }
                prefetched = registry.resolveTag(ref.repository(), ref.tag());
                digest = prefetched.digest();
                remember(tagKey, digest);
            }
        }
        FactsKey key = new FactsKey(ref.host(), ref.repository(), digest, options.platforms(), options.sbom());
        return facts(registry, key, options, prefetched).forReference(ref);
    }

    private void remember(FactsKey key, DigestFacts facts) {
        if (!ttl.isZero() && !ttl.isNegative()) {
            cache.put(key, new Cached(facts, clock.instant().plus(ttl)));
            evictExpired();
        }
    }

    private void remember(TagKey tag, Digest digest) {
        if (!ttl.isZero() && !ttl.isNegative()) {
            tags.put(tag, new ResolvedTag(digest, clock.instant().plus(ttl)));
        }
    }

    public RegistryStats stats() {
        return new RegistryStats(lookups.get(), cacheHits.get(), coalesced.get(), tagResolutions.get(),
                httpRequests.get(), tagSchemaFallbacks.get());
    }

    @Override
    public void close() {
        executor.shutdownNow();
        parallel.shutdownNow();
    }

    private DigestFacts facts(RegistryClient registry, FactsKey key, LookupOptions options, Manifest prefetched)
            throws RegistryException {
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expiresAt())) {
            cacheHits.incrementAndGet();
            return cached.facts();
        }
        CompletableFuture<DigestFacts> mine = new CompletableFuture<>();
        CompletableFuture<DigestFacts> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            coalesced.incrementAndGet();
            return Futures.join(running);
        }
        try {
            lookups.incrementAndGet();
            DigestFacts facts = registry.load(key.repository(), key.digest(), options, prefetched, parallel);
            remember(key, facts);
            mine.complete(facts);
            return facts;
        } catch (RegistryException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private void evictExpired() {
        if (cache.size() > 10_000 || tags.size() > 10_000) {
            Instant now = clock.instant();
            cache.values().removeIf(c -> !now.isBefore(c.expiresAt()));
            tags.values().removeIf(t -> !now.isBefore(t.expiresAt()));
        }
    }

    private RegistryClient registry(String host) {
        return registries.computeIfAbsent(host, h -> {
            RegistrySettings settings = settingsByHost.getOrDefault(h, RegistrySettings.anonymous(h));
            return new RegistryClient(settings, clients.apply(settings), tokens, httpRequests, tagSchemaFallbacks);
        });
    }

    /**
     * The default transport: {@link UrlConnectionTransport}, no automatic redirects (they are followed by the
     * lookup, which drops credentials when a redirect leaves the registry's scheme, host and port). Certificates
     * are checked against the JDK's certificate authorities and the registry's {@code ca-file}, never skipped.
     */
    public static HttpTransport defaultClient(RegistrySettings settings) {
        return new UrlConnectionTransport(settings.caCertificates());
    }
}
