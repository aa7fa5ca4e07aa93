package dev.finetune.lm.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;

/** Factory of the parameters the blocks declare, with the initialisation GPT-2 and Llama use from scratch. */
final class Parameters {

    /** GPT-2's and Llama's {@code initializer_range}. */
    static final float INIT_STD = 0.02f;

    private Parameters() {}

    /** A matrix drawn from N(0, 0.02²). */
    static Parameter weight(String name, long... shape) {
        return build(name, Parameter.Type.WEIGHT, new NormalInitializer(INIT_STD), shape);
    }

    /** A vector of zeros. */
    static Parameter bias(String name, long size) {
        return build(name, Parameter.Type.BIAS, Initializer.ZEROS, size);
    }

    /** A normalisation gain, ones. */
    static Parameter gain(String name, long size) {
        return build(name, Parameter.Type.GAMMA, Initializer.ONES, size);
    }

    /** A normalisation shift, zeros. */
    static Parameter shift(String name, long size) {
        return build(name, Parameter.Type.BETA, Initializer.ZEROS, size);
    }

    /** Uniform in (-bound, bound): LoRA's A, as PEFT's Kaiming-uniform with a = sqrt(5) gives 1 / sqrt(fan_in). */
    static Parameter uniform(String name, float bound, long... shape) {
        return build(name, Parameter.Type.WEIGHT, new UniformInitializer(bound), shape);
    }

    /** Zeros: LoRA's B, so that a fresh adapter leaves the model unchanged. */
    static Parameter zeros(String name, long... shape) {
        return build(name, Parameter.Type.WEIGHT, new ConstantInitializer(0f), shape);
    }

    private static Parameter build(String name, Parameter.Type type, Initializer initializer, long... shape) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optInitializer(initializer)
                .optShape(new Shape(shape))
                .build();
    }
}
