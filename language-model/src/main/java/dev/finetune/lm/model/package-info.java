/**
 * Decoder-only transformers of the GPT-2 and Llama families as DJL blocks, named as Hugging Face checkpoints name
 * their tensors, with LoRA adapters, a KV cache and the masked causal-LM loss.
 */
package dev.finetune.lm.model;
