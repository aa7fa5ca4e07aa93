package dev.finetune.stack.client;

import java.util.List;

/** A platform API answered with an error (or not at all); carries the HTTP status and the problems it listed. */
public class PlatformClientException extends RuntimeException {

    private final int status;
    private final List<String> problems;

    public PlatformClientException(String message, int status, List<String> problems) {
        super(problems.isEmpty() ? message : message + ": " + String.join("; ", problems));
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public PlatformClientException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.problems = List.of();
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
