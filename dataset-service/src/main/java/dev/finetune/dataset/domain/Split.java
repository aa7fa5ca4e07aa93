package dev.finetune.dataset.domain;

import java.util.Locale;

/** The three parts of a dataset version. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    /** The name used in files, JSON and messages: {@code train}, {@code validation}, {@code test}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String fileName() {
        return label() + ".jsonl";
    }
}
