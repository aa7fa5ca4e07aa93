package dev.finetune.lm.text;

import java.util.Set;

/**
 * Text to token ids and back, with the special tokens a causal language model trains and generates with.
 *
 * <p>Implementations: the {@link ByteTokenizer} of the small from-scratch models, and Hugging Face
 * {@code tokenizer.json} tokenizers for pre-trained checkpoints.
 */
public interface Tokenizer {

    /** The ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /** The text of {@code ids}, special tokens left out. */
    String decode(int[] ids);

    /** Number of ids the model's embedding must cover. */
    int vocabSize();

    /** Beginning-of-sequence id put before every example, or null when the model uses none (GPT-2). */
    Integer bosId();

    /** End-of-sequence id appended to every training example: the model learns to stop. */
    int eosId();

    /** Ids that end generation: {@link #eosId()} and any others the generation config lists. */
    default Set<Integer> stopIds() {
        return Set.of(eosId());
    }

    /** Id of padded positions; never read (masked) and never a target, so any valid id works. */
    int padId();

    /**
     * The full token sequence of an example, {@code [BOS] + prompt + completion + EOS}, with the index of its first
     * target token: the first completion token when there is a prompt, the first predictable token for plain text.
     */
    default TokenizedExample tokenize(TrainingExample example) {
        int[] prompt = encode(example.prompt());
        int[] completion = encode(example.completion());
        Integer bos = bosId();
        int head = bos == null ? 0 : 1;
        int[] tokens = new int[head + prompt.length + completion.length + 1];
        if (bos != null) {
            tokens[0] = bos;
        }
        System.arraycopy(prompt, 0, tokens, head, prompt.length);
        System.arraycopy(completion, 0, tokens, head + prompt.length, completion.length);
        tokens[tokens.length - 1] = eosId();
        return new TokenizedExample(tokens, Math.max(1, head + prompt.length));
    }
}
