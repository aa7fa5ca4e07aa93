/**
 * Subword tokenizers in the Hugging Face folder layout: {@link dev.finetune.lm.tokenizer.HfTokenizer} loads
 * {@code tokenizer.json} and its config files through DJL's binding of the Rust library.
 */
package dev.finetune.lm.tokenizer;
