package dev.drawbridge.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's Jackson mappers, one configured instance per purpose; no other class creates an
 * {@link ObjectMapper} (checked in the build). A mapper is thread-safe once configured, so these are shared.
 * Which to use for what is listed in docs/internals.md.
 */
public final class Mappers {

    /** Deepest nesting of arrays and objects read by {@link #API}. */
    public static final int MAX_API_DEPTH = 64;

    /**
     * JSON exchanged with HTTP APIs and received from the network: forges, registries, notification endpoints,
     * webhook deliveries. Reading refuses nesting deeper than {@link #MAX_API_DEPTH} (a
     * {@link com.fasterxml.jackson.core.exc.StreamConstraintsException}), so a hostile body cannot exhaust the stack.
     */
    public static final ObjectMapper API = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_API_DEPTH).build())
            .build());

    /**
     * JSON that Drawbridge builds itself or reads back from its own cluster and state: Kubernetes objects,
     * decision records, the inventory, kept renders, the rows of its own API; written compactly.
     */
    public static final ObjectMapper TREES = new ObjectMapper();

    /** Maps written with their keys sorted, so that equal objects give equal bytes (the applied-object hash). */
    public static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Indented JSON for people and tools: {@code check --format json}, SARIF, {@code report --format json}. */
    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Mappers() {
    }
}
