package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The transformer's position-wise feed-forward network: widen to 4C, GELU, project back to C.
 *
 * <p>Dimensions: B batch size, T sequence length, C width. GELU is DJL's exact (erf) form, not GPT-2's tanh
 * approximation; the difference matters only when loading GPT-2 weights, which a later engine will do.
 */
public final class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float dropout;
    private final Linear fc;
    private final Linear proj;

    public Mlp(int width, double dropout) {
        super(VERSION);
        this.dropout = (float) dropout;
        this.fc = addChildBlock("fc", Linear.builder().setUnits(4L * width).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray hidden = fc.forward(parameterStore, inputs, training).singletonOrThrow(); // (B, T, 4C)
        hidden = Activation.gelu(hidden);
        NDArray y = proj.forward(parameterStore, new NDList(hidden), training).singletonOrThrow(); // (B, T, C)
        if (training && dropout > 0) {
            y = Dropout.dropout(y, dropout, true).singletonOrThrow();
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, C)
        fc.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, fc.getOutputShapes(new Shape[] {x})); // (B, T, 4C)
    }
}
