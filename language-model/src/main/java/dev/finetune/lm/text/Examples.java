package dev.finetune.lm.text;

import java.util.Objects;

/** Factory for the example renderings the platform uses, so that training and evaluation agree on the text format. */
public final class Examples {

    private Examples() {}

    /**
     * A classification example: prompt {@code "Text: <text>\nLabel:"}, completion {@code " <label>\n"}.
     *
     * <p>The leading space puts the label on a word boundary, the newline marks where the label ends.
     */
    public static TrainingExample classification(String text, String label) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        return new TrainingExample(classificationPrompt(text), classificationCompletion(label));
    }

    /** The prompt part of {@link #classification(String, String)}, for scoring candidate labels. */
    public static String classificationPrompt(String text) {
        return "Text: " + text + "\nLabel:";
    }

    /** The completion part of {@link #classification(String, String)}, for scoring candidate labels. */
    public static String classificationCompletion(String label) {
        return " " + label + "\n";
    }

    /** A plain-text (language modelling) example: empty prompt, the whole text is the target. */
    public static TrainingExample plainText(String text) {
        return new TrainingExample("", Objects.requireNonNull(text, "text"));
    }
}
