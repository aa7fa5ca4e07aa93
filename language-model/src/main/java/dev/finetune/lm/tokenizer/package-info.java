/**
 * Subword tokenizers in the Hugging Face folder layout: {@link dev.finetune.lm.tokenizer.HfTokenizer} loads
 * {@code tokenizer.json} and its config files through DJL's binding of the Rust library, and
 * {@link dev.finetune.lm.tokenizer.BpeTrainer} learns a GPT-2 or Llama style byte-pair encoding and writes such a
 * folder.
 */
package dev.finetune.lm.tokenizer;
