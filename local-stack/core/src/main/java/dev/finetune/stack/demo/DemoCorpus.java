package dev.finetune.stack.demo;

import java.util.List;
import java.util.Random;

/**
 * Generated English about everyday products and outings: short reviews whose sentences agree in sentiment, plus
 * neutral narration. The demo's base model is pre-trained on it, so it knows the language of reviews (and which
 * words go together) before it is fine-tuned to name a review's sentiment.
 *
 * <p>Generated rather than shipped: no licence questions, any size, the same text from the same seed. It holds no
 * labels and none of the sentence forms of {@code examples/datasets/sentiment.jsonl}'s "Text/Label" prompts.
 */
public final class DemoCorpus {

    /** Bumped whenever the text this class generates changes, so cached base models are rebuilt. */
    public static final int VERSION = 2;

    private static final List<String> SUBJECTS = List.of("new album", "coffee", "service", "headphones",
            "museum tour", "phone", "book", "laptop", "train ride", "weather app", "staff", "customer support",
            "pizza", "hotel room", "concert", "game", "movie", "delivery", "update", "app");
    private static final List<String> GOOD = List.of("brilliant", "excellent", "pleasant", "superb", "amazing",
            "wonderful", "fantastic", "delightful", "great", "lovely");
    private static final List<String> BAD = List.of("terrible", "poor", "broken", "horrible", "disappointing",
            "useless", "awful", "boring", "dreadful", "annoying");
    private static final List<String> GOOD_VERBS = List.of("loved", "liked", "enjoyed", "praised");
    private static final List<String> BAD_VERBS = List.of("hated", "disliked", "regretted", "complained about");
    private static final List<String> GOOD_ENDINGS = List.of("I would recommend it to everyone.",
            "We will come back next week.", "It was worth every penny.", "Overall, a positive experience.",
            "I was smiling all day.", "Five stars from me.", "My review is positive.");
    private static final List<String> BAD_ENDINGS = List.of("I want my money back.", "We will never go back.",
            "It was a waste of time.", "Overall, a negative experience.", "I was angry all day.", "One star from me.",
            "My review is negative.");
    private static final List<String> NEUTRAL = List.of("We arrived at noon and found a table by the window.",
            "The shop opens at nine and closes at six.", "My sister bought one last year.",
            "The box came with a short manual.", "It rained in the morning and cleared up later.",
            "There were about fifty people in the room.", "The price was the same as last month.",
            "I read the instructions twice before starting.", "The train left the station on time.",
            "We talked about it over dinner.");
    private static final List<String> OPENINGS = List.of("Last week I tried the %s.", "Yesterday we checked out the %s.",
            "I finally got around to the %s.", "Here is what I think about the %s.", "A friend told me about the %s.");
    private static final List<String> PARTS = List.of("the design", "the price", "the sound", "the screen",
            "the taste", "the staff", "the battery", "the ending", "the music", "the room");

    private DemoCorpus() {}

    /** About {@code chars} characters of reviews and narration, one sentence group per line. */
    public static String generate(int chars, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(chars + 200);
        while (text.length() < chars) {
            if (random.nextInt(5) == 0) {
                text.append(pick(NEUTRAL, random)).append(' ').append(pick(NEUTRAL, random)).append('\n');
                continue;
            }
            boolean good = random.nextBoolean();
            String subject = pick(SUBJECTS, random);
            List<String> adjectives = good ? GOOD : BAD;
            text.append(String.format(pick(OPENINGS, random), subject)).append(' ');
            if (random.nextBoolean()) {
                text.append(pick(NEUTRAL, random)).append(' ');
            }
            text.append(capitalise(pick(PARTS, random))).append(" was ").append(pick(adjectives, random))
                    .append(" and ").append(pick(PARTS, random)).append(" was ").append(pick(adjectives, random))
                    .append(". ");
            text.append("Honestly, we ").append(pick(good ? GOOD_VERBS : BAD_VERBS, random)).append(" it. ");
            text.append(pick(good ? GOOD_ENDINGS : BAD_ENDINGS, random)).append('\n');
        }
        return text.toString();
    }

    private static String pick(List<String> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    private static String capitalise(String phrase) {
        return Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1);
    }
}
