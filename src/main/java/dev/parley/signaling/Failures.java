package dev.parley.signaling;

import java.util.concurrent.CompletionException;

/** What a failed {@link java.util.concurrent.CompletableFuture} failed with. */
final class Failures {
    private Failures() {}

    /** The cause a {@link CompletionException} wraps, or {@code failure} itself. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
