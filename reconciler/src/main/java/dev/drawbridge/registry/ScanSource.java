package dev.drawbridge.registry;

import dev.drawbridge.image.Digest;

/** Where scan results of one registry come from (Harbor's API, or OCI referrers). */
interface ScanSource {
    /**
     * @param sbom whether SBOMs must be looked for where the source tells of them only when asked (an SBOM
     *             it sees anyway is reported either way)
     */
    ScanFacts find(String repository, Digest digest, boolean sbom) throws RegistryException;
}
