package dev.finetune.dataset.domain;

import java.util.Optional;

/** What an upload with some invalid records does: fail as a whole, or keep its valid records. */
public enum InvalidRecordPolicy {
    /** Any invalid record fails the upload and nothing is stored. */
    FAIL,
    /** Invalid records are dropped and counted; the upload fails only when no valid record remains. */
    SKIP;

    public static Optional<InvalidRecordPolicy> parse(String name) {
        for (InvalidRecordPolicy p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether a parsed upload may become a version under this policy. */
    public boolean accepts(ExampleParser.Report report) {
        return switch (this) {
            case FAIL -> report.valid();
            case SKIP -> report.uploadProblem() == null && report.acceptedRecords() > 0;
        };
    }
}
