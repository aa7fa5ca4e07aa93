package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}.
 *
 * <p>Dimensions: B batch size, T sequence length, C width. The LayerNorms normalise over C only ({@code axis(2)});
 * DJL's default would normalise over T and C together, which leaks information across positions.
 */
public final class TransformerBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final LayerNorm ln1;
    private final CausalSelfAttention attn;
    private final LayerNorm ln2;
    private final Mlp mlp;

    public TransformerBlock(ModelConfig config) {
        super(VERSION);
        this.ln1 = addChildBlock("ln1", LayerNorm.builder().axis(2).build());
        this.attn = addChildBlock("attn", new CausalSelfAttention(config.width(), config.heads(), config.dropout()));
        this.ln2 = addChildBlock("ln2", LayerNorm.builder().axis(2).build());
        this.mlp = addChildBlock("mlp", new Mlp(config.width(), config.dropout()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, T, C)
        NDList normed = ln1.forward(parameterStore, new NDList(x), training);
        x = x.add(attn.forward(parameterStore, normed, training).singletonOrThrow()); // (B, T, C)
        normed = ln2.forward(parameterStore, new NDList(x), training);
        x = x.add(mlp.forward(parameterStore, normed, training).singletonOrThrow()); // (B, T, C)
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, C)
        ln1.initialize(manager, dataType, x);
        attn.initialize(manager, dataType, x);
        ln2.initialize(manager, dataType, x);
        mlp.initialize(manager, dataType, x);
    }
}
