package dev.finetune.lm.text;

import dev.finetune.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Plain-text examples of whole lines packed up to {@code maxTokens} tokens each (lines joined by newlines), so
     * that pre-training on short lines spends its positions on text rather than padding. A line longer than
     * {@code maxTokens} is an example of its own, truncated when batched.
     */
    public static List<TrainingExample> packed(List<String> lines, Tokenizer tokenizer, int maxTokens) {
        List<TrainingExample> examples = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int tokens = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int length = tokenizer.encode(line).length + 1; // and the newline or end token after it
            if (tokens > 0 && tokens + length > maxTokens) {
                examples.add(plainText(current.toString()));
                current.setLength(0);
                tokens = 0;
            }
            if (tokens > 0) {
                current.append('\n');
            }
            current.append(line);
            tokens += length;
        }
        if (tokens > 0) {
            examples.add(plainText(current.toString()));
        }
        return examples;
    }
}
