package dev.finetune.lm.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The beginning-of-sequence, end-of-sequence and padding tokens of a tokenizer: each an id and the token's text,
 * either of which may be {@code null}.
 *
 * <p>An id may come without its text (a config file names an id the vocabulary lacks), but text never comes without
 * an id: a token the model cannot be given is no use. The constructor reports all problems in one exception.
 *
 * @param bosId    beginning-of-sequence id, or {@code null}
 * @param bosToken its text, e.g. {@code <s>}, or {@code null}
 * @param eosId    end-of-sequence id, the primary one when a model has several, or {@code null}
 * @param eosToken its text, e.g. {@code </s>}, or {@code null}
 * @param padId    padding id, or {@code null}
 * @param padToken its text, or {@code null}
 */
public record SpecialTokens(
        Integer bosId, String bosToken, Integer eosId, String eosToken, Integer padId, String padToken) {

    public SpecialTokens {
        List<String> problems = new ArrayList<>();
        check("bos", bosId, bosToken, problems);
        check("eos", eosId, eosToken, problems);
        check("pad", padId, padToken, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid SpecialTokens: " + String.join("; ", problems));
        }
    }

    /** No special tokens at all. */
    public static SpecialTokens none() {
        return new SpecialTokens(null, null, null, null, null, null);
    }

    private static void check(String kind, Integer id, String token, List<String> problems) {
        if (id != null && id < 0) {
            problems.add(kind + "Id must be >= 0, was " + id);
        }
        if (id == null && token != null) {
            problems.add(kind + "Token '" + token + "' has no " + kind + "Id");
        }
    }
}
