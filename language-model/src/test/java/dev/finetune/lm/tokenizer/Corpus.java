package dev.finetune.lm.tokenizer;

import java.util.List;
import java.util.Random;

/** Seeded synthetic English-like text for training tokenizers in tests: no data set is shipped or downloaded. */
final class Corpus {

    private static final List<String> WORDS = List.of(
            "the", "a", "model", "learns", "tokens", "from", "text", "and", "then", "it", "predicts", "next", "word",
            "training", "loss", "falls", "slowly", "while", "validation", "rises", "again", "when", "data", "is",
            "small", "large", "language", "models", "need", "many", "examples", "of", "good", "quality", "we",
            "measure", "perplexity", "on", "held", "out", "sentences", "every", "epoch", "with", "careful", "logging",
            "café", "naïve", "résumé", "日本", "東京", "über", "Grüße", "fine", "tuning", "adapters", "low", "rank",
            "weights", "frozen", "gradient", "clipping", "warmup", "cosine", "schedule", "batch", "padding");

    private Corpus() {}

    /** About {@code chars} characters of sentences, one per line. */
    static String generate(int chars, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(chars + 100);
        while (text.length() < chars) {
            int length = 5 + random.nextInt(10);
            for (int i = 0; i < length; i++) {
                String word = WORDS.get((int) Math.min(WORDS.size() - 1, Math.abs(random.nextGaussian()) * 20));
                text.append(i == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
                if (i + 1 < length && random.nextInt(8) == 0) {
                    text.append(',');
                }
            }
            text.append(random.nextInt(5) == 0 ? "?" : ".").append(random.nextInt(3) == 0 ? "\n" : " ");
        }
        return text.toString();
    }
}
