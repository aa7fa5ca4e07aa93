package dev.finetune.dataset.domain;

/** One validated example: its normalised text and, for classification, its label (null otherwise). */
public record Example(String text, String label) {
}
