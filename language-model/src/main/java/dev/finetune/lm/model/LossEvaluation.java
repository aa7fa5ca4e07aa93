package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.finetune.lm.text.SequenceBatch;
import dev.finetune.lm.text.TokenizedExample;
import java.util.List;
import java.util.function.Function;

/** Mean loss of a model over many examples, batch by batch, without training. Shared by validation and scoring. */
public final class LossEvaluation {

    private LossEvaluation() {}

    /**
     * Mean negative log-likelihood per target token over all {@code examples} (a token-weighted mean, not a mean of
     * per-batch means), or {@code NaN} when the examples hold no targets.
     *
     * @param forward   the model in inference mode: (B, T) ids to (B, T, V) logits
     * @param manager   parent of the per-batch managers, which are closed after each batch
     * @param maxLength input positions per row; longer examples are truncated
     */
    public static double meanLoss(
            Function<NDList, NDList> forward,
            NDManager manager,
            List<TokenizedExample> examples,
            int batchSize,
            int maxLength,
            int padId) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        double nllSum = 0;
        long targets = 0;
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<TokenizedExample> slice = examples.subList(from, Math.min(examples.size(), from + batchSize));
            try (NDManager batchManager = manager.newSubManager()) {
                BatchArrays batch = BatchArrays.of(batchManager, SequenceBatch.of(slice, maxLength, padId));
                NDArray logits = forward.apply(new NDList(batch.inputs())).singletonOrThrow(); // (B, T, V)
                nllSum += CausalLmLoss.tokenNll(logits, batch.targets(), batch.mask()).sum().getFloat();
                targets += batch.targetCount();
            }
        }
        return targets == 0 ? Double.NaN : nllSum / targets;
    }

    /**
     * Summed negative log-likelihood of each row's targets, for ranking candidate completions.
     *
     * @return one value per example, in order
     */
    public static double[] rowNll(
            Function<NDList, NDList> forward, NDManager manager, List<TokenizedExample> examples, int maxLength,
            int padId) {
        try (NDManager batchManager = manager.newSubManager()) {
            BatchArrays batch = BatchArrays.of(batchManager, SequenceBatch.of(examples, maxLength, padId));
            NDArray logits = forward.apply(new NDList(batch.inputs())).singletonOrThrow(); // (B, T, V)
            float[] sums = CausalLmLoss.tokenNll(logits, batch.targets(), batch.mask()).sum(new int[] {1}) // (B)
                    .toFloatArray();
            double[] result = new double[sums.length];
            for (int i = 0; i < sums.length; i++) {
                result[i] = sums[i];
            }
            return result;
        }
    }
}
