/** Text generation from a causal language model: greedy or sampled decoding with a KV cache, batched. */
package dev.finetune.lm.generation;
