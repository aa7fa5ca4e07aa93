package dev.finetune.contracts.events;

/**
 * What a dataset teaches a model, which decides the fields of its rows, how they become training text and how
 * they are scored. Stored rows always use the field names given here, whatever an upload called them.
 */
public enum TaskType {
    /** {@code text} with a {@code label} from a fixed set. */
    CLASSIFICATION,
    /** Plain {@code text} for language modelling. */
    LANGUAGE_MODELING,
    /** Alpaca style: an {@code instruction}, an optional {@code input} and the wanted {@code output}. */
    INSTRUCTION,
    /** A conversation: {@code messages}, each a {@code role} (system, user, assistant) and its {@code content}. */
    CHAT,
    /** An {@code input} and the {@code output} made from it: summarisation, translation, any text-to-text pair. */
    GENERATION
}
