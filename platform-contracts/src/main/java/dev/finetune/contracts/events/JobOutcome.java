package dev.finetune.contracts.events;

/** How a training or evaluation job ended. */
public enum JobOutcome {
    SUCCEEDED,
    FAILED
}
