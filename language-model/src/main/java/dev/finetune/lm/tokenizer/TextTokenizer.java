package dev.finetune.lm.tokenizer;

import java.util.Set;

/**
 * A tokenizer that turns text into token ids and back, the part of a tokenizer a language model needs.
 *
 * <p>Implementations may hold native memory: close them, in a try-with-resources block.
 */
public interface TextTokenizer extends AutoCloseable {

    /** Token ids of {@code text} with no special tokens added: what training and scoring concatenate. */
    int[] encode(String text);

    /**
     * Text of {@code ids}; special tokens are written out unless {@code skipSpecialTokens}.
     *
     * @throws IllegalArgumentException when an id is not in the vocabulary
     */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** Text of {@code ids} with special tokens written out, as {@code transformers} decodes by default. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The beginning, end and padding tokens, each possibly absent. */
    SpecialTokens specialTokens();

    /**
     * Every id that ends a generated sequence, the primary end token ({@code specialTokens().eosId()}) first; empty
     * when there is none. Chat models often have several (end of text, end of turn).
     */
    default Set<Integer> eosIds() {
        Integer eos = specialTokens().eosId();
        return eos == null ? Set.of() : Set.of(eos);
    }

    /** Number of embedding rows a model needs: every id this tokenizer produces is below it. */
    int vocabSize();

    /** Frees the tokenizer; it must not be used afterwards. */
    @Override
    void close();
}
