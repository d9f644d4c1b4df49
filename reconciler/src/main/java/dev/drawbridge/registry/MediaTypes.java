package dev.drawbridge.registry;

import java.util.Set;

/** Media types of the OCI image and distribution specs and their Docker equivalents. */
final class MediaTypes {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String CYCLONEDX = "application/vnd.cyclonedx+json";
    static final String SPDX = "application/spdx+json";

    /** Accept header for manifests: indexes first, so a multi-arch image is seen as one. */
    static final String MANIFEST_ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_LIST);
    static final Set<String> SBOMS = Set.of(CYCLONEDX, SPDX);

    private MediaTypes() {
    }

    static boolean isSbom(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        String bare = mediaType.split(";", 2)[0].strip();
        return SBOMS.contains(bare);
    }
}
