package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A GPT-2-shaped causal language model: token ids (B, T) in, next-token logits (B, T, V) out.
 *
 * <p>Dimensions: B batch size, T sequence length (at most {@link ModelConfig#contextLength()}), C width, V vocabulary
 * size. Token embedding {@code wte} (V, C) plus learned position embedding {@code wpe} (contextLength, C), then
 * {@code layers} {@link TransformerBlock}s, a final LayerNorm, and a head that reuses {@code wte} (weight tying, as
 * GPT-2 does).
 *
 * <p>Parameter and child names are checkpoint keys: renaming one breaks loading of saved models.
 */
@SuppressWarnings("checkstyle:LocalVariableName") // B, T name dimensions
public final class Gpt extends AbstractBlock {

    private static final byte VERSION = 1;

    private final ModelConfig config;
    private final Parameter wte;
    private final Parameter wpe;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final LayerNorm lnF;

    public Gpt(ModelConfig config) {
        super(VERSION);
        this.config = config;
        this.wte = addParameter(Parameter.builder()
                .setName("wte")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), config.width()))
                .build());
        this.wpe = addParameter(Parameter.builder()
                .setName("wpe")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.contextLength(), config.width()))
                .build());
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(addChildBlock("h" + i, new TransformerBlock(config)));
        }
        this.lnF = addChildBlock("lnF", LayerNorm.builder().axis(2).build());
    }

    public ModelConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow(); // (B, T) int64
        long T = ids.getShape().get(1);
        if (T > config.contextLength()) {
            throw new IllegalArgumentException(
                    "sequence length " + T + " exceeds the model's context length " + config.contextLength());
        }
        NDArray tokenWeights = parameterStore.getValue(wte, ids.getDevice(), training);
        NDArray positionWeights = parameterStore.getValue(wpe, ids.getDevice(), training);

        // results belong to the first operand's manager: start from the (per-step) inputs, never from a parameter
        NDArray tokens = Embedding.embedding(ids, tokenWeights, SparseFormat.DENSE).singletonOrThrow(); // (B, T, C)
        NDArray positions = ids.getManager().arange(0, (int) T, 1, DataType.INT64); // (T)
        NDArray positionEmb = Embedding.embedding(positions, positionWeights, SparseFormat.DENSE)
                .singletonOrThrow(); // (T, C)
        NDArray x = tokens.add(positionEmb); // (B, T, C)
        if (training && config.dropout() > 0) {
            x = Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
        }
        for (TransformerBlock block : blocks) {
            x = block.forward(parameterStore, new NDList(x), training).singletonOrThrow(); // (B, T, C)
        }
        x = lnF.forward(parameterStore, new NDList(x), training).singletonOrThrow(); // (B, T, C)
        NDArray logits = Linear.linear(x, tokenWeights).singletonOrThrow(); // (B, T, V): x @ wte^T, tied head
        return new NDList(logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape ids = inputShapes[0]; // (B, T)
        return new Shape[] {new Shape(ids.get(0), ids.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape ids = inputShapes[0]; // (B, T)
        Shape hidden = new Shape(ids.get(0), ids.get(1), config.width()); // (B, T, C)
        for (TransformerBlock block : blocks) {
            block.initialize(manager, dataType, hidden);
        }
        lnF.initialize(manager, dataType, hidden);
    }
}
