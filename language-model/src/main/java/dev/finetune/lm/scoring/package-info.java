/** Loading a saved model, verifying its manifest, and scoring text with it (loss, perplexity, choosing a completion). */
package dev.finetune.lm.scoring;
