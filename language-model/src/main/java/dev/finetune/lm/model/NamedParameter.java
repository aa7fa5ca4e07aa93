package dev.finetune.lm.model;

import ai.djl.nn.Parameter;
import java.util.Objects;

/**
 * A model parameter under its Hugging Face tensor name.
 *
 * @param name       the checkpoint key, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param parameter  the DJL parameter holding the values
 * @param transposed whether the checkpoint stores the transpose of the parameter: GPT-2's Conv1D keeps
 *                   (in, out) where a linear layer here keeps (out, in)
 */
public record NamedParameter(String name, Parameter parameter, boolean transposed) {

    public NamedParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parameter, "parameter");
    }
}
