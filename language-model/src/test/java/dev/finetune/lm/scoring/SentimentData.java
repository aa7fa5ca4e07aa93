package dev.finetune.lm.scoring;

import dev.finetune.lm.text.Examples;
import dev.finetune.lm.text.TrainingExample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic two-label sentiment task: the label follows from one sentiment word in a templated sentence. Small and
 * learnable in a few hundred steps, so a test can tell a model that learns from one that does not.
 */
final class SentimentData {

    static final String POSITIVE = "positive";
    static final String NEGATIVE = "negative";

    private static final String[] POSITIVE_ADJECTIVES = {"good", "great", "wonderful", "excellent", "lovely"};
    private static final String[] NEGATIVE_ADJECTIVES = {"bad", "awful", "terrible", "boring", "horrible"};
    private static final String[] POSITIVE_VERBS = {"love", "like", "enjoyed"};
    private static final String[] NEGATIVE_VERBS = {"hate", "dislike", "regret"};
    private static final String[] NOUNS = {
        "movie", "book", "meal", "song", "game", "show", "hotel", "phone", "class", "trip", "park", "album"
    };
    private static final String[] ADJECTIVE_TEMPLATES = {
        "the %s was %s", "what a %2$s %1$s", "honestly the %s is %s", "this %s felt %s"
    };
    private static final String[] VERB_TEMPLATES = {"i %2$s this %1$s", "we %2$s the %1$s", "they %2$s that %1$s"};

    /** A labelled sentence. */
    record Labelled(String text, String label) {
        TrainingExample example() {
            return Examples.classification(text, label);
        }
    }

    /** {@code count} distinct sentences, half of each label, none of them in {@code exclude}. */
    static List<Labelled> sample(int count, long seed, Set<String> exclude) {
        Random random = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<Labelled> result = new ArrayList<>();
        while (result.size() < count) {
            boolean positive = result.size() % 2 == 0;
            String noun = NOUNS[random.nextInt(NOUNS.length)];
            String text;
            if (random.nextBoolean()) {
                String adjective = pick(random, positive ? POSITIVE_ADJECTIVES : NEGATIVE_ADJECTIVES);
                text = String.format(pick(random, ADJECTIVE_TEMPLATES), noun, adjective);
            } else {
                String verb = pick(random, positive ? POSITIVE_VERBS : NEGATIVE_VERBS);
                text = String.format(pick(random, VERB_TEMPLATES), noun, verb);
            }
            if (!exclude.contains(text) && seen.add(text)) {
                result.add(new Labelled(text, positive ? POSITIVE : NEGATIVE));
            }
        }
        return result;
    }

    static List<TrainingExample> examples(List<Labelled> labelled) {
        return labelled.stream().map(Labelled::example).toList();
    }

    static Set<String> texts(List<Labelled> labelled) {
        Set<String> texts = new LinkedHashSet<>();
        labelled.forEach(l -> texts.add(l.text()));
        return texts;
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    private SentimentData() {}
}
