package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A decoder-only causal language model of the GPT-2 or the Llama family: token ids (B, T) in, next-token logits
 * (B, T, V) out.
 *
 * <p>Dimensions: B batch size, T new positions, C width, V vocabulary size. Token embedding, (GPT-2 only) learned
 * position embedding, {@code layers} {@link DecoderLayer}s, a final norm, and a head that reuses the token embedding
 * when tied. {@link #namedParameters()} lists every weight under its Hugging Face checkpoint name.
 *
 * <p>The forward input is {@code [ids]}, or {@code [ids, positions, keyPadding]} for left-padded batches: positions
 * (B, T) int64, keyPadding (B, Tk) 1 for real tokens, 0 for padding. {@link #logits} also takes a {@link KvCache}.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
public final class CausalLm extends ModuleBlock {

    private final TransformerConfig config;
    private final LoraConfig lora;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final RotaryEmbedding rotary;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final Norm finalNorm;
    private final Dense head;

    /** A model without adapters. */
    public CausalLm(TransformerConfig config) {
        this(config, null);
    }

    /** A model whose {@code lora} target projections carry LoRA adapters (none when {@code lora} is null). */
    public CausalLm(TransformerConfig config, LoraConfig lora) {
        this.config = config;
        this.lora = lora;
        boolean gpt2 = config.family() == ModelFamily.GPT2;
        this.tokenEmbedding = addParameter(Parameters.weight("token_embedding", config.vocabSize(), config.width()));
        this.positionEmbedding = gpt2
                ? addParameter(Parameters.weight("position_embedding", config.contextLength(), config.width()))
                : null;
        this.rotary = gpt2 ? null : new RotaryEmbedding(config.headSize(), config.ropeTheta());
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(config, i, lora)));
        }
        this.finalNorm = addChildBlock("final_norm", Norm.of(config));
        this.head = config.tiedEmbeddings()
                ? null
                : addChildBlock("head", new Dense(config.width(), config.vocabSize(), false, false));
    }

    public TransformerConfig config() {
        return config;
    }

    /** The adapter shape, or null for a model without adapters. */
    public LoraConfig lora() {
        return lora;
    }

    /**
     * Next-token logits of {@code ids}.
     *
     * @param ids        (B, T) int64 token ids
     * @param positions  (B, T) int64 position of each token, or null for {@code past, past + 1, ...}
     * @param keyPadding (B, Tk) 1 for real tokens, 0 for padding, over the cached and the new positions; or null
     * @param cache      keys and values of earlier positions, extended by this call; or null
     * @return (B, T, V) logits, in {@code ids}' manager
     */
    public NDArray logits(ParameterStore parameters, NDArray ids, NDArray positions, NDArray keyPadding,
            KvCache cache, boolean training) {
        NDManager manager = ids.getManager();
        long T = ids.getShape().get(1);
        long past = cache == null ? 0 : cache.length();
        if (positions == null) {
            positions = manager.arange((int) past, (int) (past + T), 1, DataType.INT64).reshape(1, T); // (1, T)
        }
        if (past + T > config.contextLength()) {
            throw new IllegalArgumentException("sequence length " + (past + T) + " exceeds the model's context length "
                    + config.contextLength());
        }
        NDArray embeddings = parameters.getValue(tokenEmbedding, ids.getDevice(), training);
        // results belong to the first operand's manager: start from the per-call ids, never from a parameter
        NDArray x = Embedding.embedding(ids, embeddings, SparseFormat.DENSE).singletonOrThrow(); // (B, T, C)
        RotaryEmbedding.Angles angles = null;
        if (positionEmbedding != null) {
            NDArray table = parameters.getValue(positionEmbedding, ids.getDevice(), training);
            x = x.add(Embedding.embedding(positions, table, SparseFormat.DENSE).singletonOrThrow()); // (B, T, C)
        } else {
            angles = rotary.angles(positions);
        }
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
        }
        // one new position with nothing padded may read every key: no mask to build or add (each decoding step)
        NDArray mask = T == 1 && keyPadding == null ? null : AttentionInputs.mask(manager, T, past, keyPadding);
        AttentionInputs inputs = new AttentionInputs(mask, angles);
        for (DecoderLayer layer : layers) {
            x = layer.apply(parameters, x, inputs, cache, training); // (B, T, C)
        }
        if (cache != null) {
            cache.advance((int) T);
        }
        x = finalNorm.apply(parameters, x, training); // (B, T, C)
        return head == null
                ? Linear.linear(x, embeddings).singletonOrThrow() // (B, T, V): x @ wte^T, tied head
                : head.apply(parameters, x, training); // (B, T, V)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray positions = inputs.size() > 1 ? inputs.get(1) : null;
        NDArray keyPadding = inputs.size() > 2 ? inputs.get(2) : null;
        return new NDList(logits(parameters, ids, positions, keyPadding, null, training));
    }

    /** Every parameter under its Hugging Face name, in checkpoint order (embeddings, layers, final norm, head). */
    public List<NamedParameter> namedParameters() {
        List<NamedParameter> names = new ArrayList<>();
        nameParameters("", names);
        return Collections.unmodifiableList(names);
    }

    @Override
    void nameParameters(String prefix, List<NamedParameter> names) {
        boolean gpt2 = config.family() == ModelFamily.GPT2;
        String body = prefix + (gpt2 ? "transformer." : "model.");
        names.add(new NamedParameter(body + (gpt2 ? "wte.weight" : "embed_tokens.weight"), tokenEmbedding, false));
        if (positionEmbedding != null) {
            names.add(new NamedParameter(body + "wpe.weight", positionEmbedding, false));
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).nameParameters(body + (gpt2 ? "h." : "layers.") + i + ".", names);
        }
        finalNorm.nameParameters(body + (gpt2 ? "ln_f." : "norm."), names);
        if (head != null) {
            head.nameParameters(prefix + "lm_head.", names);
        }
    }

    /** Freezes every weight but the LoRA adapters', so that only adapters get gradients and optimizer state. */
    public void freezeAllButAdapters() {
        for (NamedParameter named : namedParameters()) {
            named.parameter().freeze(!isAdapter(named.name()));
        }
    }

    /**
     * Folds every adapter into its base weight ({@code W += (alpha / r) B A}) and zeroes B: outputs stay the same,
     * and the base weights alone now hold the adapted model.
     */
    public void mergeAdapters() {
        forEachAdapter(this, LoraLinear::merge);
    }

    /** Whether {@code name} is a LoRA adapter tensor ({@code ...lora_A.weight}, {@code ...lora_B.weight}). */
    public static boolean isAdapter(String name) {
        return name.contains(".lora_A.") || name.contains(".lora_B.");
    }

    private static void forEachAdapter(Block block, Consumer<LoraLinear> action) {
        if (block instanceof LoraLinear adapter) {
            action.accept(adapter);
        }
        for (Block child : block.getChildren().values()) {
            forEachAdapter(child, action);
        }
    }

    /** Number of parameter values, adapters included. */
    public long parameterCount() {
        long count = 0;
        for (NamedParameter named : namedParameters()) {
            count += named.parameter().getShape().size();
        }
        return count;
    }
}
