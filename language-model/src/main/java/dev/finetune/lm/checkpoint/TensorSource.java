package dev.finetune.lm.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;

/** Named tensors to read: one safetensors file, or the shards of a checkpoint folder. */
public interface TensorSource {

    boolean contains(String name);

    /** The tensor's dtype, shape and place; throws for an unknown name. */
    TensorInfo info(String name);

    /** The tensor as an NDArray of {@code manager} (F16 as FLOAT16, BF16 widened to FLOAT32). */
    NDArray toNDArray(String name, NDManager manager) throws IOException;
}
