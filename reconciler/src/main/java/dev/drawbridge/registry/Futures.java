package dev.drawbridge.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting on a lookup that runs elsewhere, with its RegistryException unwrapped. */
final class Futures {
    private Futures() {
    }

    static <T> T join(CompletableFuture<T> future) throws RegistryException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RegistryException re) {
                throw re;
            }
            if (e.getCause() instanceof RuntimeException rt) {
                throw rt;
            }
            throw e;
        }
    }
}
