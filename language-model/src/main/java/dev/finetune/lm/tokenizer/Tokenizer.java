package dev.finetune.lm.tokenizer;

import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.text.TrainingExample;
import java.util.Set;

/**
 * Text to token ids and back, with the special tokens a causal language model trains and generates with.
 *
 * <p>Implementations: {@link HfTokenizer} for a model folder's {@code tokenizer.json}, and the {@link ByteTokenizer}
 * of the small from-scratch models. Some hold native memory: close them.
 */
public interface Tokenizer extends AutoCloseable {

    /** Token ids of {@code text} with no special tokens added: what training and scoring concatenate. */
    int[] encode(String text);

    /**
     * Token ids of {@code text} as the tokenizer's template makes them for a model input: with the beginning token
     * when the model expects one (Llama), as is (GPT-2).
     */
    int[] encodeWithTemplate(String text);

    /** What the template puts before any text: {@code [BOS]} for Llama, nothing for GPT-2. */
    default int[] templateStart() {
        return encodeWithTemplate("");
    }

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

    /**
     * Id of padded positions: the pad token, else the end token, else 0. Padded positions are masked and never
     * targets, so any valid id works.
     */
    default int padId() {
        SpecialTokens special = specialTokens();
        return special.padId() != null ? special.padId() : special.eosId() != null ? special.eosId() : 0;
    }

    /**
     * The full token sequence of a training example, the template's start ({@code [BOS]} where the model uses one),
     * prompt, completion, then the end token, with the index of its first target token: the first completion token
     * when there is a prompt, else the first token the model can predict.
     *
     * @throws IllegalStateException when the tokenizer has no end token to teach the model where to stop
     */
    default TokenizedExample tokenize(TrainingExample example) {
        Integer eos = specialTokens().eosId();
        if (eos == null) {
            throw new IllegalStateException("the tokenizer has no end-of-sequence token; a fine-tune needs one");
        }
        int[] start = templateStart();
        int[] prompt = encode(example.prompt());
        int[] completion = encode(example.completion());
        int[] tokens = new int[start.length + prompt.length + completion.length + 1];
        System.arraycopy(start, 0, tokens, 0, start.length);
        System.arraycopy(prompt, 0, tokens, start.length, prompt.length);
        System.arraycopy(completion, 0, tokens, start.length + prompt.length, completion.length);
        tokens[tokens.length - 1] = eos;
        return new TokenizedExample(tokens, Math.max(1, start.length + prompt.length));
    }

    /** Frees the tokenizer; it must not be used afterwards. */
    @Override
    void close();
}
