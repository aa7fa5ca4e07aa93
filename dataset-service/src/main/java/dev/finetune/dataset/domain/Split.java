package dev.finetune.dataset.domain;

/** The three parts of a dataset version. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    public String fileName() {
        return name().toLowerCase() + ".jsonl";
    }
}
