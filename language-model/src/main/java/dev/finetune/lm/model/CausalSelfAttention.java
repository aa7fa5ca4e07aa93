package dev.finetune.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Multi-head causal self-attention with grouped-query heads: each position attends to itself and the positions
 * before it, never after.
 *
 * <p>Dimensions: B batch size, T new positions, Tk positions attended to (cached + new), C width, nh query heads,
 * nkv key/value heads, g = nh / nkv query heads per key/value head, hs head size. GPT-2 projects q, k and v with one
 * fused Conv1D ({@code c_attn}); the Llama family with {@code q_proj}, {@code k_proj}, {@code v_proj}, then
 * rotates q and k by position. Query head {@code j * g + i} reads key/value head {@code j}, the order of Hugging
 * Face's {@code repeat_kv}; the grouped layout (B, nkv, g, T, hs) gets there without copying keys and values.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
final class CausalSelfAttention extends ModuleBlock {

    private final TransformerConfig config;
    private final int layerIndex;
    private final Projection qkv;
    private final Projection q;
    private final Projection k;
    private final Projection v;
    private final Projection out;

    CausalSelfAttention(TransformerConfig config, int layerIndex, LoraConfig lora) {
        this.config = config;
        this.layerIndex = layerIndex;
        long c = config.width();
        long qWidth = (long) config.heads() * config.headSize();
        long kvWidth = (long) config.kvHeads() * config.headSize();
        if (config.family() == ModelFamily.GPT2) {
            this.qkv = addChildBlock("c_attn", Projection.of("attn", "c_attn", c, qWidth + 2 * kvWidth, true, true, lora));
            this.q = null;
            this.k = null;
            this.v = null;
            this.out = addChildBlock("c_proj", Projection.of("attn", "c_proj", qWidth, c, true, true, lora));
        } else {
            boolean bias = config.attentionBias();
            this.qkv = null;
            this.q = addChildBlock("q_proj", Projection.of("self_attn", "q_proj", c, qWidth, bias, false, lora));
            this.k = addChildBlock("k_proj", Projection.of("self_attn", "k_proj", c, kvWidth, bias, false, lora));
            this.v = addChildBlock("v_proj", Projection.of("self_attn", "v_proj", c, kvWidth, bias, false, lora));
            this.out = addChildBlock("o_proj",
                    Projection.of("self_attn", "o_proj", qWidth, c, config.outputProjectionBias(), false, lora));
        }
    }

    /**
     * @param x      (B, T, C)
     * @param inputs the mask and rotation angles shared by all layers
     * @param cache  keys and values of earlier positions, appended to; null when reading a whole sequence
     * @return (B, T, C)
     */
    NDArray apply(ParameterStore parameters, NDArray x, AttentionInputs inputs, KvCache cache, boolean training) {
        long B = x.getShape().get(0);
        long T = x.getShape().get(1);
        int nh = config.heads();
        int nkv = config.kvHeads();
        int g = config.groupSize();
        int hs = config.headSize();

        NDArray queries;
        NDArray keys;
        NDArray values;
        if (qkv != null) {
            NDList split = qkv.apply(parameters, x, training).split(3, 2); // 3 x (B, T, C)
            queries = split.get(0);
            keys = split.get(1);
            values = split.get(2);
        } else {
            queries = q.apply(parameters, x, training); // (B, T, nh * hs)
            keys = k.apply(parameters, x, training); // (B, T, nkv * hs)
            values = v.apply(parameters, x, training); // (B, T, nkv * hs)
        }
        queries = queries.reshape(B, T, nh, hs).transpose(0, 2, 1, 3); // (B, nh, T, hs)
        keys = keys.reshape(B, T, nkv, hs).transpose(0, 2, 1, 3); // (B, nkv, T, hs)
        values = values.reshape(B, T, nkv, hs).transpose(0, 2, 1, 3); // (B, nkv, T, hs)
        if (inputs.angles() != null) {
            queries = inputs.angles().rotate(queries);
            keys = inputs.angles().rotate(keys);
        }
        if (cache != null) {
            NDArray[] all = cache.append(layerIndex, keys, values);
            keys = all[0]; // (B, nkv, Tk, hs)
            values = all[1]; // (B, nkv, Tk, hs)
        }

        NDArray y;
        if (g == 1) {
            // one key/value head per query head: plain 4-D batched matmuls
            NDArray scores = queries.matMul(keys.transpose(0, 1, 3, 2)) // (B, nh, T, Tk)
                    .mul(Constants.of(x, 1.0f / (float) Math.sqrt(hs)));
            NDArray attention = dropout(inputs.masked(scores, true).softmax(-1), training); // (B, nh, T, Tk)
            y = attention.matMul(values); // (B, nh, T, hs)
        } else {
            NDArray grouped = queries.reshape(B, nkv, g, T, hs); // (B, nkv, g, T, hs)
            NDArray scores = grouped.matMul(keys.expandDims(2).transpose(0, 1, 2, 4, 3)) // (B, nkv, g, T, Tk)
                    .mul(Constants.of(x, 1.0f / (float) Math.sqrt(hs)));
            NDArray attention = dropout(inputs.masked(scores, false).softmax(-1), training); // (B, nkv, g, T, Tk)
            y = attention.matMul(values.expandDims(2)).reshape(B, nh, T, hs); // (B, nkv, g, T, hs) -> (B, nh, T, hs)
        }
        y = y.transpose(0, 2, 1, 3).reshape(B, T, (long) nh * hs); // (B, T, nh * hs)
        return out.apply(parameters, y, training); // (B, T, C)
    }

    private NDArray dropout(NDArray attention, boolean training) {
        return training && config.dropout() > 0
                ? Dropout.dropout(attention, (float) config.dropout(), true).singletonOrThrow()
                : attention;
    }


    @Override
    void nameParameters(String prefix, List<NamedParameter> names) {
        if (qkv != null) {
            qkv.nameParameters(prefix + "c_attn.", names);
            out.nameParameters(prefix + "c_proj.", names);
        } else {
            q.nameParameters(prefix + "q_proj.", names);
            k.nameParameters(prefix + "k_proj.", names);
            v.nameParameters(prefix + "v_proj.", names);
            out.nameParameters(prefix + "o_proj.", names);
        }
    }
}
