package dev.finetune.lm.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape of a GPT-style causal language model (nanoGPT's {@code GPTConfig}).
 *
 * <p>The constructor checks every field and reports all problems in one {@link IllegalArgumentException}, so a
 * caller fixing a request sees everything wrong with it at once.
 *
 * @param vocabSize     number of token ids V
 * @param contextLength longest sequence the model reads, the number of learned positions
 * @param layers        number of transformer blocks
 * @param width         embedding width C
 * @param heads         attention heads nh; must divide {@code width} (head size hs = C / nh)
 * @param dropout       dropout probability in [0, 1) used while training
 */
public record ModelConfig(int vocabSize, int contextLength, int layers, int width, int heads, double dropout) {

    public ModelConfig {
        List<String> problems = new ArrayList<>();
        if (vocabSize < 1) {
            problems.add("vocabSize must be >= 1, was " + vocabSize);
        }
        if (contextLength < 1) {
            problems.add("contextLength must be >= 1, was " + contextLength);
        }
        if (layers < 1) {
            problems.add("layers must be >= 1, was " + layers);
        }
        if (width < 1) {
            problems.add("width must be >= 1, was " + width);
        }
        if (heads < 1) {
            problems.add("heads must be >= 1, was " + heads);
        } else if (width >= 1 && width % heads != 0) {
            problems.add("width (" + width + ") must be divisible by heads (" + heads + ")");
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            problems.add("dropout must be in [0, 1), was " + dropout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid ModelConfig: " + String.join("; ", problems));
        }
    }

    /** About 0.1 M parameters over the 259 byte-tokenizer ids: trains in seconds on a laptop CPU, for tests and demos. */
    public static ModelConfig tiny() {
        return new ModelConfig(259, 128, 2, 64, 4, 0.0);
    }

    /** Head size hs = C / nh. */
    public int headSize() {
        return width / heads;
    }
}
