/** Text-generation and classification metrics (BLEU, ROUGE, accuracy/F1, exact match) that reproduce the reference tools' numbers. */
package dev.finetune.metrics;
