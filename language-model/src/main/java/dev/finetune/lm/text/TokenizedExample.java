package dev.finetune.lm.text;

/**
 * An example as token ids, {@code BOS + prompt + completion + EOS}.
 *
 * @param tokens      the whole sequence, starting with BOS and ending with EOS
 * @param targetStart index in {@code tokens} of the first token the model is trained to predict (never 0: BOS is
 *                    only ever an input)
 */
public record TokenizedExample(int[] tokens, int targetStart) {

    public TokenizedExample {
        if (targetStart < 1 || targetStart > tokens.length) {
            throw new IllegalArgumentException("targetStart " + targetStart + " outside [1, " + tokens.length + "]");
        }
    }
}
