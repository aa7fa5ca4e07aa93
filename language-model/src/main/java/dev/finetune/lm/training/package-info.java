/** Fine-tuning: the {@link dev.finetune.lm.training.FineTuner} seam, configs, learning-rate schedule, loop and checkpoint writing. */
package dev.finetune.lm.training;
