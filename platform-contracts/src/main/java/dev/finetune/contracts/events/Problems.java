package dev.finetune.contracts.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Collects validation problems, each as {@code field: what is wrong}, so that all are reported at once. */
public final class Problems {

    private final List<String> problems = new ArrayList<>();

    /** Starts with the checks every event needs: schema version, event id and timestamp. */
    public static Problems ofEnvelope(int schemaVersion, int supportedVersion, UUID eventId, Instant occurredAt) {
        Problems p = new Problems();
        p.check(schemaVersion >= 1 && schemaVersion <= supportedVersion, "schemaVersion",
                "must be between 1 and " + supportedVersion + " but was " + schemaVersion);
        p.notNull(eventId, "eventId");
        p.notNull(occurredAt, "occurredAt");
        return p;
    }

    public Problems check(boolean ok, String field, String message) {
        if (!ok) {
            problems.add(field + ": " + message);
        }
        return this;
    }

    public Problems notNull(Object value, String field) {
        return check(value != null, field, "is required");
    }

    public Problems notBlank(String value, String field) {
        return check(value != null && !value.isBlank(), field, "is required and must not be blank");
    }

    /** Checks a name that becomes part of a storage key or topic key: lower-case letters, digits, '-', '_', '.'. */
    public Problems name(String value, String field) {
        if (value == null || value.isBlank()) {
            return notBlank(value, field);
        }
        return check(Names.isValid(value), field, Names.RULE + " but was '" + value + "'");
    }

    /** Adds a nested object's problems under its field name, e.g. {@code model.sha256: ...}. */
    public Problems nested(String field, List<String> nestedProblems) {
        nestedProblems.forEach(p -> problems.add(field + "." + p));
        return this;
    }

    public List<String> toList() {
        return List.copyOf(problems);
    }
}
