/** Scoring a trained model on its test split: metrics and the report. */
package dev.finetune.evaluator.domain;
