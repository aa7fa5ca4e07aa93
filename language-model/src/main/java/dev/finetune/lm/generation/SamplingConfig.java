package dev.finetune.lm.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * How the next token is picked.
 *
 * <p>Greedy (the most likely token) when {@code temperature} is 0; otherwise the logits are divided by the
 * temperature, cut to the {@code topK} most likely tokens and to the smallest set whose probability reaches
 * {@code topP} (nucleus sampling), renormalised, and sampled with a generator seeded by {@code seed}.
 *
 * @param maxNewTokens tokens to generate at most per sequence
 * @param temperature  0 for greedy, else > 0
 * @param topK         keep this many most likely tokens, or 0 for all
 * @param topP         keep the most likely tokens up to this cumulative probability, in (0, 1]
 * @param seed         seed of the sampler, so a sampled run can be repeated
 */
public record SamplingConfig(int maxNewTokens, double temperature, int topK, double topP, long seed) {

    public SamplingConfig {
        List<String> problems = new ArrayList<>();
        if (maxNewTokens < 0) {
            problems.add("maxNewTokens must be >= 0, was " + maxNewTokens);
        }
        if (!(temperature >= 0 && Double.isFinite(temperature))) {
            problems.add("temperature must be a finite number >= 0, was " + temperature);
        }
        if (topK < 0) {
            problems.add("topK must be >= 0, was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            problems.add("topP must be in (0, 1], was " + topP);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid SamplingConfig: " + String.join("; ", problems));
        }
    }

    /** The most likely token at each step. */
    public static SamplingConfig greedy(int maxNewTokens) {
        return new SamplingConfig(maxNewTokens, 0, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
