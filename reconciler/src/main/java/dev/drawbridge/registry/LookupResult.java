package dev.drawbridge.registry;

/** The outcome of looking one image up: the facts, or why they could not be had. */
public sealed interface LookupResult {
    record Found(ImageFacts facts) implements LookupResult {
    }

    record Failed(RegistryException error) implements LookupResult {
    }
}
