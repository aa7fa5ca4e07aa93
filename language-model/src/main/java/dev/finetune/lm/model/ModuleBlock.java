package dev.finetune.lm.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Base of this package's blocks: every parameter's shape is fixed at construction (from the config, as in PyTorch's
 * {@code nn.Module}), so initialising needs no shape inference, and each block lists its parameters under their
 * Hugging Face checkpoint names.
 */
abstract class ModuleBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    ModuleBlock() {
        super(VERSION);
    }

    /**
     * DJL's entry point, for the blocks that can run alone ({@link CausalLm}, projections, norms, MLPs). Attention
     * and decoder layers run only inside {@link CausalLm}, which supplies their mask, rotation and cache.
     */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameters, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " runs inside CausalLm, which supplies its mask, positions and cache");
    }

    /** Appends this block's parameters, named {@code prefix + <Hugging Face suffix>}, to {@code out}. */
    abstract void nameParameters(String prefix, List<NamedParameter> out);

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
