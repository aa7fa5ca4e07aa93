package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hallucination signal for generated text that should stay within its input (summaries, answers from a given
 * passage): the items of an output that appear nowhere in the input. The rule:
 * <ul>
 *   <li>items are numbers (digits, with inner {@code .} or {@code ,}: {@code 3.5}, {@code 1,200}), capitalised
 *       words that do not start a sentence (names: {@code Paris}, {@code Acme}), and content words (four letters or
 *       more, not in a short list of function words);</li>
 *   <li>an item is supported when the input contains it, ignoring case; a number also when the input holds the same
 *       digits ({@code 1,200} and {@code 1200});</li>
 *   <li>the first word of the output and of each sentence is a name only if it is capitalised inside the input too.</li>
 * </ul>
 * Crude by design (no synonyms, no paraphrase): a rise between model versions is the signal, not the level.
 */
public final class UnsupportedContent {

    private static final Pattern TOKEN = Pattern.compile("\\d+(?:[.,]\\d+)*|\\p{L}[\\p{L}'-]*");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?:]\\s*$");
    private static final Set<String> FUNCTION_WORDS = Set.of("that", "this", "these", "those", "with", "from", "into",
            "have", "been", "were", "what", "when", "where", "which", "while", "will", "would", "could", "should",
            "there", "their", "they", "them", "then", "than", "about", "also", "some", "such", "very", "just",
            "only", "more", "most", "much", "many", "each", "other", "over", "under", "after", "before", "because",
            "does", "done", "your", "yours", "ours", "it's", "here", "same", "both", "being", "upon");

    private UnsupportedContent() {
    }

    /** What one output claims beyond its input: the unsupported items, and how many items it has in all. */
    public record Finding(List<String> unsupported, int items) {

        public double rate() {
            return items == 0 ? 0 : (double) unsupported.size() / items;
        }
    }

    /** The output's items that its input does not support. */
    public static Finding of(String input, String output) {
        String haystack = input.toLowerCase(Locale.ROOT);
        String digits = input.replaceAll("[.,](?=\\d)", "");
        Set<String> unsupported = new LinkedHashSet<>();
        int items = 0;
        Matcher m = TOKEN.matcher(output);
        int previousEnd = 0;
        boolean sentenceStart = true;
        while (m.find()) {
            String token = m.group();
            String between = output.substring(previousEnd, m.start());
            sentenceStart = previousEnd == 0 || SENTENCE_END.matcher(output.substring(0, m.start()).strip()).find()
                    && !between.isEmpty();
            previousEnd = m.end();
            boolean number = Character.isDigit(token.charAt(0));
            boolean name = !number && Character.isUpperCase(token.charAt(0)) && !sentenceStart;
            boolean content = !number && token.length() >= 4
                    && !FUNCTION_WORDS.contains(token.toLowerCase(Locale.ROOT));
            if (!number && !name && !content) {
                continue;
            }
            items++;
            boolean supported = number
                    ? digits.contains(token.replaceAll("[.,](?=\\d)", "")) || input.contains(token)
                    : containsWord(haystack, token.toLowerCase(Locale.ROOT));
            if (!supported) {
                unsupported.add(token);
            }
        }
        return new Finding(new ArrayList<>(unsupported), items);
    }

    private static boolean containsWord(String haystack, String word) {
        return Pattern.compile("(?<![\\p{L}])" + Pattern.quote(word) + "(?![\\p{L}])").matcher(haystack).find();
    }
}
