package dev.finetune.lm.text;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of next-token-prediction rows in plain Java arrays (row-major, {@code rows x length}), ready to become
 * NDArrays.
 *
 * <p>Row {@code b}, position {@code t}: the model reads {@code inputs[t]} and is scored on predicting
 * {@code targets[t]} (the token after it) where {@code mask[t] == 1}. Rows are padded with PAD to the longest row
 * of the batch, not to the full sequence length, which keeps short classification examples cheap.
 *
 * @param rows           batch size B
 * @param length         positions per row T
 * @param inputs         token ids, B*T
 * @param targets        next-token ids, B*T (the pad id where nothing is predicted)
 * @param mask           1 where the target counts toward the loss, else 0, B*T
 * @param nonPadTokens   number of input positions holding a real token (throughput accounting)
 */
public record SequenceBatch(int rows, int length, long[] inputs, long[] targets, float[] mask, long nonPadTokens) {

    /**
     * Packs examples into one batch, each cut to a window of at most {@code maxLength + 1} tokens (so at most
     * {@code maxLength} input positions), see {@link #windowStart(TokenizedExample, int)}.
     */
    public static SequenceBatch of(List<TokenizedExample> examples, int maxLength, int padId) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1, was " + maxLength);
        }
        int length = 1;
        for (TokenizedExample example : examples) {
            length = Math.max(length, Math.min(example.tokens().length - 1, maxLength));
        }
        int rows = examples.size();
        long[] inputs = new long[rows * length];
        long[] targets = new long[rows * length];
        float[] mask = new float[rows * length];
        Arrays.fill(inputs, padId);
        Arrays.fill(targets, padId);
        long nonPad = 0;
        for (int b = 0; b < rows; b++) {
            TokenizedExample example = examples.get(b);
            int[] tokens = example.tokens();
            int start = windowStart(example, maxLength);
            int used = Math.min(tokens.length - 1 - start, length); // input positions of this row
            for (int t = 0; t < used; t++) {
                int i = b * length + t;
                inputs[i] = tokens[start + t];
                targets[i] = tokens[start + t + 1];
                // this position predicts token start+t+1, a target iff it lies at or after targetStart
                mask[i] = start + t + 1 >= example.targetStart() ? 1f : 0f;
            }
            nonPad += used;
        }
        return new SequenceBatch(rows, length, inputs, targets, mask, nonPad);
    }

    /**
     * First token of the window a too-long example is cut to. Plain text keeps its beginning. An example with a
     * prompt loses the start of its prompt first, so that the completion, the only part that is scored, survives;
     * only a completion longer than the window itself is cut at its end.
     */
    static int windowStart(TokenizedExample example, int maxLength) {
        int overflow = Math.max(0, example.tokens().length - 1 - maxLength);
        return Math.min(example.targetStart() - 1, overflow);
    }

    /** Number of positions whose target counts toward the loss. */
    public long targetCount() {
        long count = 0;
        for (float m : mask) {
            count += m > 0 ? 1 : 0;
        }
        return count;
    }
}
