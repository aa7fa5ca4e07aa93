package dev.finetune.lm.model;

/**
 * The transformer layouts the engine builds, each the shape of a family of Hugging Face checkpoints.
 *
 * <p>GPT-2: learned positions, LayerNorm with bias, GELU (tanh approximation), one fused qkv projection stored as a
 * Conv1D (input-major weights). Llama: rotary positions, RMSNorm, SwiGLU, separate q/k/v/o projections with
 * grouped-query attention; Qwen2 and Mistral are Llama with q/k/v biases or another default.
 */
public enum ModelFamily {
    GPT2,
    LLAMA
}
