package dev.finetune.metrics;

/** ROUGE-1, ROUGE-2 and ROUGE-L (sentence-level longest common subsequence) for a pair or a corpus. */
public record RougeScores(RougeScore rouge1, RougeScore rouge2, RougeScore rougeL) {
}
