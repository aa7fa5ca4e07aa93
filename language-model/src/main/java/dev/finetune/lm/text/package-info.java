/** Byte-level tokenization and the rendering of training examples into token sequences and padded batches. */
package dev.finetune.lm.text;
