package dev.finetune.contracts.events;

import java.util.List;

/** An event that could not be parsed or failed validation; its message is the reason recorded on the DLQ. */
public class InvalidEventException extends RuntimeException {

    private final List<String> problems;

    public InvalidEventException(String type, List<String> problems) {
        super("invalid " + type + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidEventException(String type, String reason, Throwable cause) {
        super("malformed " + type + ": " + reason, cause);
        this.problems = List.of(reason);
    }

    public List<String> problems() {
        return problems;
    }
}
