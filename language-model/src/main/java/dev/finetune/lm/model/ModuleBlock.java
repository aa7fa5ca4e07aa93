package dev.finetune.lm.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
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
