package dev.finetune.lm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Shape of a decoder-only transformer of the GPT-2 or the Llama family (nanoGPT's {@code GPTConfig}, widened to
 * Llama's knobs).
 *
 * <p>The constructor checks every field and reports all problems in one {@link IllegalArgumentException}.
 *
 * @param modelType      Hugging Face {@code model_type} written back to config.json: gpt2, llama, qwen2, mistral
 * @param family         the layout the blocks take
 * @param vocabSize      number of token ids V
 * @param contextLength  longest sequence: GPT-2's learned positions, Llama's {@code max_position_embeddings}
 * @param layers         number of decoder layers
 * @param width          hidden width C
 * @param heads          query heads nh
 * @param kvHeads        key/value heads nkv; divides nh (grouped-query attention when smaller); nh for GPT-2
 * @param headSize       hs, usually C / nh
 * @param mlpWidth       inner width of the MLP (GPT-2's {@code n_inner}, Llama's {@code intermediate_size})
 * @param normEps        epsilon of LayerNorm / RMSNorm
 * @param ropeTheta      base of the rotary frequencies (Llama family only)
 * @param attentionBias  whether the attention projections carry biases: for GPT-2 always; for Llama and Mistral
 *                       ({@code attention_bias}) q, k, v and o; for Qwen2 q, k and v only
 * @param tiedEmbeddings whether the output head reuses the token embedding
 * @param dropout        dropout probability in [0, 1) while training
 */
public record TransformerConfig(
        String modelType,
        ModelFamily family,
        int vocabSize,
        int contextLength,
        int layers,
        int width,
        int heads,
        int kvHeads,
        int headSize,
        int mlpWidth,
        double normEps,
        double ropeTheta,
        boolean attentionBias,
        boolean tiedEmbeddings,
        double dropout) {

    public TransformerConfig {
        List<String> problems = new ArrayList<>();
        if (modelType == null || modelType.isBlank()) {
            problems.add("modelType is required");
        }
        if (family == null) {
            problems.add("family is required");
        }
        positive(problems, "vocabSize", vocabSize);
        positive(problems, "contextLength", contextLength);
        positive(problems, "layers", layers);
        positive(problems, "width", width);
        positive(problems, "heads", heads);
        positive(problems, "kvHeads", kvHeads);
        positive(problems, "headSize", headSize);
        positive(problems, "mlpWidth", mlpWidth);
        if (heads >= 1 && kvHeads >= 1 && heads % kvHeads != 0) {
            problems.add("heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        if (family == ModelFamily.GPT2 && heads >= 1 && kvHeads != heads) {
            problems.add("GPT-2 has one key/value head per query head: kvHeads must be " + heads + ", was " + kvHeads);
        }
        if (family == ModelFamily.GPT2 && headSize * heads != width) {
            problems.add("GPT-2 needs headSize * heads == width, was " + headSize + " * " + heads + " != " + width);
        }
        if (family == ModelFamily.LLAMA && headSize % 2 != 0) {
            problems.add("rotary positions need an even headSize, was " + headSize);
        }
        if (!(normEps > 0 && normEps < 1)) {
            problems.add("normEps must be in (0, 1), was " + normEps);
        }
        if (family == ModelFamily.LLAMA && !(ropeTheta > 1 && Double.isFinite(ropeTheta))) {
            problems.add("ropeTheta must be a finite number > 1, was " + ropeTheta);
        }
        if (!(dropout >= 0.0 && dropout < 1.0)) {
            problems.add("dropout must be in [0, 1), was " + dropout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid TransformerConfig: " + String.join("; ", problems));
        }
    }

    private static void positive(List<String> problems, String field, int value) {
        if (value < 1) {
            problems.add(field + " must be >= 1, was " + value);
        }
    }

    /** A GPT-2 shape: C = nh * hs, MLP 4C, LayerNorm eps 1e-5, biases everywhere, tied head. */
    public static TransformerConfig gpt2(int vocabSize, int contextLength, int layers, int width, int heads) {
        return new TransformerConfig("gpt2", ModelFamily.GPT2, vocabSize, contextLength, layers, width, heads, heads,
                width / Math.max(1, heads), 4 * width, 1e-5, 10_000, true, true, 0.0);
    }

    /** A Llama shape: RMSNorm eps 1e-5, rotary theta 10 000, no biases, untied head. */
    public static TransformerConfig llama(
            int vocabSize, int contextLength, int layers, int width, int heads, int kvHeads, int mlpWidth) {
        return new TransformerConfig("llama", ModelFamily.LLAMA, vocabSize, contextLength, layers, width, heads,
                kvHeads, width / Math.max(1, heads), mlpWidth, 1e-5, 10_000, false, false, 0.0);
    }

    /** This shape over another vocabulary, e.g. the one a tokenizer trained for the model has. */
    public TransformerConfig withVocabSize(int newVocabSize) {
        return new TransformerConfig(modelType, family, newVocabSize, contextLength, layers, width, heads, kvHeads,
                headSize, mlpWidth, normEps, ropeTheta, attentionBias, tiedEmbeddings, dropout);
    }

    public TransformerConfig withDropout(double newDropout) {
        return new TransformerConfig(modelType, family, vocabSize, contextLength, layers, width, heads, kvHeads,
                headSize, mlpWidth, normEps, ropeTheta, attentionBias, tiedEmbeddings, newDropout);
    }

    public TransformerConfig withModelType(String newModelType, boolean newAttentionBias, boolean newTied) {
        return new TransformerConfig(Objects.requireNonNull(newModelType), family, vocabSize, contextLength, layers,
                width, heads, kvHeads, headSize, mlpWidth, normEps, ropeTheta, newAttentionBias, newTied, dropout);
    }

    /** Whether the attention output projection has a bias: GPT-2's always, Llama's with the others, Qwen2's never. */
    public boolean outputProjectionBias() {
        return family == ModelFamily.GPT2 || (attentionBias && !modelType.equals("qwen2"));
    }

    /** Query heads that share one key/value head (1 unless grouped-query attention). */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Number of weights, the tied head counted once. */
    public long parameterCount() {
        long c = width;
        long attention = c * heads * headSize + 2 * c * kvHeads * headSize + (long) heads * headSize * c;
        long mlp = family == ModelFamily.GPT2 ? 2 * c * mlpWidth : 3 * c * mlpWidth;
        long biases = 0;
        long norms;
        if (family == ModelFamily.GPT2) {
            biases = (long) heads * headSize + 2L * kvHeads * headSize + c + mlpWidth + c;
            norms = 4 * c;
        } else {
            biases = (attentionBias ? (long) heads * headSize + 2L * kvHeads * headSize : 0)
                    + (outputProjectionBias() ? c : 0);
            norms = 2 * c;
        }
        long perLayer = attention + mlp + biases + norms;
        long embeddings = (long) vocabSize * c + (family == ModelFamily.GPT2 ? (long) contextLength * c : 0);
        long finalNorm = family == ModelFamily.GPT2 ? 2 * c : c;
        long head = tiedEmbeddings ? 0 : (long) vocabSize * c;
        return layers * perLayer + embeddings + finalNorm + head;
    }
}
