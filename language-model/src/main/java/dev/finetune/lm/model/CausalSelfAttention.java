package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head causal self-attention: each position attends to itself and the positions before it, never after.
 *
 * <p>Dimensions: B batch size, T sequence length, C width, nh heads, hs head size (C / nh). One linear layer
 * {@code qkv} projects (B, T, C) to queries, keys and values together; {@code proj} mixes the heads back.
 */
@SuppressWarnings("checkstyle:LocalVariableName") // B, T, C name dimensions, as in the papers
public final class CausalSelfAttention extends AbstractBlock {

    private static final byte VERSION = 1;
    /** Added to the scores of future positions; finite so that 0 * mask never makes NaN. */
    private static final float MASKED = -1e9f;

    private final int heads;
    private final float dropout;
    private final Linear qkv;
    private final Linear proj;

    public CausalSelfAttention(int width, int heads, double dropout) {
        super(VERSION);
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " not divisible by heads " + heads);
        }
        this.heads = heads;
        this.dropout = (float) dropout;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
        this.proj = addChildBlock("proj", Linear.builder().setUnits(width).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (B, T, C)
        long B = x.getShape().get(0);
        long T = x.getShape().get(1);
        long C = x.getShape().get(2);
        long hs = C / heads;

        NDArray qkvOut = qkv.forward(parameterStore, new NDList(x), training).singletonOrThrow(); // (B, T, 3C)
        NDList split = qkvOut.split(3, 2); // 3 x (B, T, C)
        NDArray q = split.get(0).reshape(B, T, heads, hs).transpose(0, 2, 1, 3); // (B, nh, T, hs)
        NDArray k = split.get(1).reshape(B, T, heads, hs).transpose(0, 2, 1, 3); // (B, nh, T, hs)
        NDArray v = split.get(2).reshape(B, T, heads, hs).transpose(0, 2, 1, 3); // (B, nh, T, hs)

        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(hs)); // (B, nh, T, T)
        scores = scores.add(causalMask(x.getManager(), T)); // (T, T) broadcast over B, nh
        NDArray attention = scores.softmax(-1); // (B, nh, T, T)
        if (training && dropout > 0) {
            attention = Dropout.dropout(attention, dropout, true).singletonOrThrow();
        }
        NDArray y = attention.matMul(v); // (B, nh, T, hs)
        y = y.transpose(0, 2, 1, 3).reshape(B, T, C); // (B, T, C), heads side by side
        y = proj.forward(parameterStore, new NDList(y), training).singletonOrThrow(); // (B, T, C)
        if (training && dropout > 0) {
            y = Dropout.dropout(y, dropout, true).singletonOrThrow();
        }
        return new NDList(y);
    }

    /** (T, T): 0 where key position <= query position, a large negative number where the key is in the future. */
    static NDArray causalMask(NDManager manager, long T) {
        NDArray query = manager.arange((int) T).reshape(T, 1); // (T, 1)
        NDArray key = manager.arange((int) T).reshape(1, T); // (1, T)
        return key.gt(query).toType(DataType.FLOAT32, false).mul(MASKED); // (T, T)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, C)
        qkv.initialize(manager, dataType, x);
        proj.initialize(manager, dataType, x);
    }
}
