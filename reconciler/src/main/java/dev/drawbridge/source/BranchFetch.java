package dev.drawbridge.source;

/**
 * The outcome of fetching one branch into the mirror.
 *
 * @param revision    the branch head now
 * @param previousSha the head fetched before, or null on the first fetch
 * @param forcePushed true when the new head does not descend from the previous one (history was
 *                    rewritten); the new head is still taken
 */
public record BranchFetch(Revision revision, String previousSha, boolean forcePushed) {

    /** True when the head moved since the previous fetch (or this is the first fetch). */
    public boolean changed() {
        return previousSha == null || !previousSha.equals(revision.sha());
    }
}
