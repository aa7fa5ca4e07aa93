/** The rendering of training examples (classification, instruction templates, plain text) into token sequences and padded batches. */
package dev.finetune.lm.text;
