package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embedding (Su et al. 2021) in the rotate-half layout Hugging Face's Llama uses: feature {@code i}
 * of the first half of a head pairs with feature {@code i + hs/2}, and the pair turns by angle
 * {@code position * theta^(-2i/hs)}.
 *
 * <p>Dimensions: B batch size, T sequence length, nh heads, hs head size.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
final class RotaryEmbedding {

    private final float[] inverseFrequencies;

    RotaryEmbedding(int headSize, double theta) {
        this.inverseFrequencies = new float[headSize / 2];
        for (int i = 0; i < inverseFrequencies.length; i++) {
            // HF computes theta^(2i/hs) in float32 from exact integers; double then round is as close or closer
            inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (2.0 * i) / headSize));
        }
    }

    /** The cosines and sines of every (row, position), computed once per forward pass and shared by all layers. */
    Angles angles(NDArray positions) {
        NDArray frequencies = positions.getManager().create(inverseFrequencies); // (hs/2)
        NDArray angle = positions.toType(DataType.FLOAT32, false).expandDims(2).mul(frequencies); // (B, T, hs/2)
        NDArray both = angle.concat(angle, 2).expandDims(1); // (B, 1, T, hs)
        return new Angles(both.cos(), both.sin());
    }

    /** (B, 1, T, hs) cosines and sines of the rotation angles. */
    record Angles(NDArray cos, NDArray sin) {

        /** Rotates {@code x}, (B, nh, T, hs). */
        NDArray rotate(NDArray x) {
            NDList halves = x.split(2, 3); // 2 x (B, nh, T, hs/2)
            NDArray rotatedHalf = halves.get(1).neg().concat(halves.get(0), 3); // (B, nh, T, hs): (-x2, x1)
            return x.mul(cos).add(rotatedHalf.mul(sin));
        }
    }
}
