package dev.finetune.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * rouge-score's default tokenizer: lower-case, every run of characters outside [a-z0-9] becomes one
 * space, split on spaces, and optionally Porter-stem the tokens longer than 3 characters.
 */
public final class RougeTokenizer {

    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Pattern VALID_TOKEN = Pattern.compile("[a-z0-9]+");

    private RougeTokenizer() {
    }

    /**
     * Tokenizes {@code text}.
     *
     * @param stemmer the stemmer for tokens longer than 3 characters, or {@code null} for none
     */
    public static List<String> tokenize(String text, PorterStemmer stemmer) {
        String cleaned = NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        List<String> tokens = new ArrayList<>();
        for (String token : cleaned.split(" ")) {
            String t = stemmer != null && token.length() > 3 ? stemmer.stem(token) : token;
            // The reference drops empty (or otherwise invalid) tokens only after stemming.
            if (VALID_TOKEN.matcher(t).matches()) {
                tokens.add(t);
            }
        }
        return tokens;
    }
}
