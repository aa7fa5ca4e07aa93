package dev.finetune.contracts.events;

/** What a dataset teaches a model, which decides how examples become training text and how they are scored. */
public enum TaskType {
    /** {@code text} with a {@code label} from a fixed set. */
    CLASSIFICATION,
    /** Plain {@code text} for language modelling. */
    LANGUAGE_MODELING
}
