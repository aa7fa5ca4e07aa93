package dev.finetune.metrics;

import java.util.Map;
import java.util.Objects;

/**
 * The Porter suffix-stripping stemmer (Porter, "An algorithm for suffix stripping", 1980), with the
 * three variants NLTK's {@code PorterStemmer} offers, rule for rule, so that stems agree with NLTK.
 *
 * <p>rouge-score builds {@code nltk.stem.porter.PorterStemmer()} with no argument, which is
 * {@link Mode#NLTK_EXTENSIONS}; {@link Mode#ORIGINAL_ALGORITHM} is the paper as published.
 *
 * <p>A rule list is applied as NLTK applies it: the first rule whose suffix matches decides, and if
 * its condition fails the word is left unchanged (no later rule is tried).
 */
public final class PorterStemmer {

    /** Which set of departures from the published algorithm to apply (NLTK's three modes). */
    public enum Mode {
        /** The algorithm exactly as published in 1980. */
        ORIGINAL_ALGORITHM,
        /** Martin Porter's own later changes (bli to ble, logi to log, words of 1-2 letters untouched). */
        MARTIN_EXTENSIONS,
        /** Martin's changes plus NLTK's (irregular forms, ies/ied on short words, y to i rule); NLTK's default. */
        NLTK_EXTENSIONS
    }

    private static final Map<String, String> IRREGULAR_FORMS = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"),
            Map.entry("dying", "die"), Map.entry("lying", "lie"), Map.entry("tying", "tie"),
            Map.entry("news", "news"),
            Map.entry("innings", "inning"), Map.entry("inning", "inning"),
            Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"),
            Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    private final Mode mode;

    public PorterStemmer(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public Mode mode() {
        return mode;
    }

    /** Stems one lower-case word. */
    public String stem(String word) {
        if (mode == Mode.NLTK_EXTENSIONS && IRREGULAR_FORMS.containsKey(word)) {
            return IRREGULAR_FORMS.get(word);
        }
        if (mode != Mode.ORIGINAL_ALGORITHM && word.length() <= 2) {
            return word;
        }
        String stem = step1a(word);
        stem = step1b(stem);
        stem = step1c(stem);
        stem = step2(stem);
        stem = step3(stem);
        stem = step4(stem);
        stem = step5a(stem);
        return step5b(stem);
    }

    // ---- conditions of the paper --------------------------------------------------------------

    private static boolean isConsonant(String word, int i) {
        char c = word.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(word, i - 1);
        }
        return true;
    }

    /** m in [C](VC){m}[V]: the number of vowel-to-consonant transitions. */
    private static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) {
                m++;
            }
        }
        return m;
    }

    private static boolean positiveMeasure(String stem) {
        return measure(stem) > 0;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    /** *d: ends with a double consonant. */
    private static boolean endsDoubleConsonant(String word) {
        int n = word.length();
        return n >= 2 && word.charAt(n - 1) == word.charAt(n - 2) && isConsonant(word, n - 1);
    }

    /** *o: ends consonant-vowel-consonant, the last not w, x or y (NLTK also accepts a 2-letter vowel-consonant word). */
    private boolean endsCvc(String word) {
        int n = word.length();
        boolean cvc = n >= 3 && isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1)
                && "wxy".indexOf(word.charAt(n - 1)) < 0;
        return cvc || (mode == Mode.NLTK_EXTENSIONS && n == 2 && !isConsonant(word, 0) && isConsonant(word, 1));
    }

    // ---- rule lists ------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Condition {
        boolean test(String stem);
    }

    private record Rule(String suffix, String replacement, Condition condition) {
    }

    private static Rule rule(String suffix, String replacement, Condition condition) {
        return new Rule(suffix, replacement, condition);
    }

    private static String applyFirst(String word, Rule... rules) {
        for (Rule r : rules) {
            if (word.endsWith(r.suffix())) {
                String stem = word.substring(0, word.length() - r.suffix().length());
                return r.condition() == null || r.condition().test(stem) ? stem + r.replacement() : word;
            }
        }
        return word;
    }

    private static String replaceSuffix(String word, String suffix, String replacement) {
        return word.substring(0, word.length() - suffix.length()) + replacement;
    }

    // ---- steps -----------------------------------------------------------------------------------

    private String step1a(String word) {
        if (mode == Mode.NLTK_EXTENSIONS && word.endsWith("ies") && word.length() == 4) {
            return replaceSuffix(word, "ies", "ie");
        }
        return applyFirst(word, rule("sses", "ss", null), rule("ies", "i", null), rule("ss", "ss", null),
                rule("s", "", null));
    }

    private String step1b(String word) {
        if (mode == Mode.NLTK_EXTENSIONS && word.endsWith("ied")) {
            return replaceSuffix(word, "ied", word.length() == 4 ? "ie" : "i");
        }
        if (word.endsWith("eed")) {
            String stem = replaceSuffix(word, "eed", "");
            return measure(stem) > 0 ? stem + "ee" : word;
        }
        String stem = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (word.endsWith(suffix) && containsVowel(replaceSuffix(word, suffix, ""))) {
                stem = replaceSuffix(word, suffix, "");
                break;
            }
        }
        if (stem == null) {
            return word;
        }
        if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) {
            return stem + "e";
        }
        if (endsDoubleConsonant(stem)) {
            char last = stem.charAt(stem.length() - 1);
            // hopp(ing) -> hop, but fall(ing), hiss(ing), fizz(ed) keep their double letter.
            return last == 'l' || last == 's' || last == 'z' ? stem : stem.substring(0, stem.length() - 1);
        }
        return measure(stem) == 1 && endsCvc(stem) ? stem + "e" : stem;
    }

    private String step1c(String word) {
        if (!word.endsWith("y")) {
            return word;
        }
        String stem = replaceSuffix(word, "y", "");
        boolean applies = mode == Mode.NLTK_EXTENSIONS
                ? stem.length() > 1 && isConsonant(stem, stem.length() - 1)
                : containsVowel(stem);
        return applies ? stem + "i" : word;
    }

    private String step2(String word) {
        if (mode == Mode.NLTK_EXTENSIONS && word.endsWith("alli")
                && positiveMeasure(replaceSuffix(word, "alli", ""))) {
            return step2(replaceSuffix(word, "alli", "al"));
        }
        Condition m0 = PorterStemmer::positiveMeasure;
        Rule bliRule = mode == Mode.ORIGINAL_ALGORITHM ? rule("abli", "able", m0) : rule("bli", "ble", m0);
        Rule[] common = {
            rule("ational", "ate", m0), rule("tional", "tion", m0), rule("enci", "ence", m0),
            rule("anci", "ance", m0), rule("izer", "ize", m0), bliRule, rule("alli", "al", m0),
            rule("entli", "ent", m0), rule("eli", "e", m0), rule("ousli", "ous", m0),
            rule("ization", "ize", m0), rule("ation", "ate", m0), rule("ator", "ate", m0),
            rule("alism", "al", m0), rule("iveness", "ive", m0), rule("fulness", "ful", m0),
            rule("ousness", "ous", m0), rule("aliti", "al", m0), rule("iviti", "ive", m0),
            rule("biliti", "ble", m0),
        };
        return switch (mode) {
            case ORIGINAL_ALGORITHM -> applyFirst(word, common);
            case MARTIN_EXTENSIONS -> applyFirst(word, append(common, rule("logi", "log", m0)));
            // NLTK measures the stem with the "l" of "logi" kept: word[:-3].
            case NLTK_EXTENSIONS -> applyFirst(word, append(common, rule("fulli", "ful", m0),
                    rule("logi", "log", stem -> positiveMeasure(word.substring(0, word.length() - 3)))));
        };
    }

    private static String step3(String word) {
        Condition m0 = PorterStemmer::positiveMeasure;
        return applyFirst(word, rule("icate", "ic", m0), rule("ative", "", m0), rule("alize", "al", m0),
                rule("iciti", "ic", m0), rule("ical", "ic", m0), rule("ful", "", m0), rule("ness", "", m0));
    }

    private static String step4(String word) {
        Condition m1 = stem -> measure(stem) > 1;
        return applyFirst(word, rule("al", "", m1), rule("ance", "", m1), rule("ence", "", m1),
                rule("er", "", m1), rule("ic", "", m1), rule("able", "", m1), rule("ible", "", m1),
                rule("ant", "", m1), rule("ement", "", m1), rule("ment", "", m1), rule("ent", "", m1),
                rule("ion", "", stem -> measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))),
                rule("ou", "", m1), rule("ism", "", m1), rule("ate", "", m1), rule("iti", "", m1),
                rule("ous", "", m1), rule("ive", "", m1), rule("ize", "", m1));
    }

    private String step5a(String word) {
        if (!word.endsWith("e")) {
            return word;
        }
        String stem = replaceSuffix(word, "e", "");
        int m = measure(stem);
        return m > 1 || (m == 1 && !endsCvc(stem)) ? stem : word;
    }

    private static String step5b(String word) {
        if (word.endsWith("ll") && measure(word.substring(0, word.length() - 1)) > 1) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }

    private static Rule[] append(Rule[] rules, Rule... more) {
        Rule[] out = new Rule[rules.length + more.length];
        System.arraycopy(rules, 0, out, 0, rules.length);
        System.arraycopy(more, 0, out, rules.length, more.length);
        return out;
    }
}
