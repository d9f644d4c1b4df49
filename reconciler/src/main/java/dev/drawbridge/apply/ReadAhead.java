package dev.drawbridge.apply;

import dev.drawbridge.threads.KeptThreads;

import java.util.concurrent.Executor;

/**
 * The threads that read from clusters ahead of need, while the gate runs (the live state of an environment,
 * whether its next decision record exists): four daemon threads at most for every applier and store together,
 * started as reads overlap and then kept (a pool that let idle ones go would start them again every few
 * reconciles). Reads are short, and a serve of many environments needs no more.
 */
public final class ReadAhead {

    public static final Executor POOL = KeptThreads.pool("cluster-read-ahead", 4);

    private ReadAhead() {
    }
}
