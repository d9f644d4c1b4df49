package dev.drawbridge.registry;

import dev.drawbridge.image.Digest;

/** Where scan results of one registry come from (Harbor's API, or OCI referrers). */
interface ScanSource {
    ScanFacts find(String repository, Digest digest) throws RegistryException;
}
