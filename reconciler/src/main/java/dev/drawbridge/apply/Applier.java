package dev.drawbridge.apply;

/** The port of the apply stage: makes one environment's cluster match its desired objects. */
public interface Applier {

    /**
     * Applies the desired objects of {@code request}, prunes what left them (when asked), and waits for health
     * (when asked).
     *
     * @return what was done to each object; a reconcile that changes nothing returns only UNCHANGED entries
     *         and has written nothing
     * @throws ApplyException with one {@link ApplyException.Reason}, the objects concerned, and the change set
     *                        of what was done before the failure
     */
    ChangeSet apply(ApplyRequest request) throws ApplyException;
}
