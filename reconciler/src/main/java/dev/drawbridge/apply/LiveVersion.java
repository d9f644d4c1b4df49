package dev.drawbridge.apply;

/**
 * A version of the live state of one environment's objects as the watches of its cluster see it
 * ({@link Applier#liveVersion}): two versions are equal only if no watch event changed any of its objects in
 * between and no watch started or stopped. Meaningful only within one process.
 *
 * @param epoch   the starts and stops of the cluster's informers so far
 * @param changes the watch events so far that changed an object labelled for the environment
 */
public record LiveVersion(long epoch, long changes) {
}
