package dev.finetune.contracts.events;

/** How the base model is fine-tuned. */
public enum TrainingMethod {
    /** Every weight is trained. */
    FULL,
    /** Prompt/response pairs rendered through a template; every weight is trained. */
    INSTRUCTION,
    /** Low-rank adapters on a frozen base. */
    LORA
}
