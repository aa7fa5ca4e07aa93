package dev.finetune.lm.generation;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token from one row of logits as a {@link SamplingConfig} says. Not thread-safe (one per run). */
final class TokenSampler {

    private final SamplingConfig config;
    private final Random random;

    TokenSampler(SamplingConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    int next(float[] logits) {
        if (config.isGreedy()) {
            return argmax(logits);
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a])); // most likely first, ties by id
        int keep = config.topK() == 0 ? order.length : Math.min(config.topK(), order.length);
        double max = logits[order[0]] / config.temperature();
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logits[order[i]] / config.temperature() - max);
            total += weights[i];
        }
        // nucleus: the shortest prefix whose probability reaches topP (always at least one token)
        double cumulative = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += weights[i] / total;
            if (cumulative >= config.topP()) {
                nucleus = i + 1;
                break;
            }
        }
        double nucleusTotal = 0;
        for (int i = 0; i < nucleus; i++) {
            nucleusTotal += weights[i];
        }
        double draw = random.nextDouble() * nucleusTotal;
        for (int i = 0; i < nucleus; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }

    /** Index of the largest value, the first on ties (as PyTorch's argmax). */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
