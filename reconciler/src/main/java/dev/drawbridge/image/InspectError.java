package dev.drawbridge.image;

/**
 * An image that could not be read from a workload.
 *
 * @param workload  the {@link WorkloadId} of the object
 * @param field     the field, e.g. {@code spec.template.spec.containers[0].image}
 * @param reference the value as written, or null when there is none or it is not a string
 * @param message   what is wrong
 */
public record InspectError(String workload, String field, String reference, String message) {

    @Override
    public String toString() {
        return workload + ": " + field + ": " + message;
    }
}
