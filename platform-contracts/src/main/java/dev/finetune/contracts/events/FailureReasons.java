package dev.finetune.contracts.events;

/** The words a failed job's event carries about why it failed. */
public final class FailureReasons {

    private FailureReasons() {
    }

    /** The exception's message, or its type when it has none; errors other than exceptions name their type. */
    public static String of(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e instanceof RuntimeException ? message : e.getClass().getSimpleName() + ": " + message;
    }
}
