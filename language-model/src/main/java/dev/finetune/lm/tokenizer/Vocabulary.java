package dev.finetune.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The token-to-id map of a {@code tokenizer.json}: the model's vocabulary together with its added tokens.
 *
 * <p>DJL's binding exposes neither the vocabulary nor its size, so they are read from the same JSON the binding
 * is given.
 */
final class Vocabulary {

    private final Map<String, Integer> ids;
    private final String[] tokens;
    private final Set<Integer> specialIds;

    private Vocabulary(Map<String, Integer> ids, Set<Integer> specialIds) {
        this.ids = Map.copyOf(ids);
        this.specialIds = Set.copyOf(specialIds);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.tokens = new String[size];
        ids.forEach((token, id) -> tokens[id] = token);
    }

    /**
     * Reads {@code model.vocab} (an object of token to id for BPE, WordPiece and WordLevel; a list of
     * {@code [piece, score]} pairs for Unigram) and {@code added_tokens}.
     *
     * @param file named in the error when the JSON lacks either
     */
    static Vocabulary of(JsonNode root, Path file) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                ids.put(entry.getKey(), id(entry.getValue(), "model.vocab." + entry.getKey(), file));
            }
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                JsonNode piece = vocab.get(i).path(0);
                if (!piece.isTextual()) {
                    throw new IOException(file + ": model.vocab[" + i + "] is not a [piece, score] pair");
                }
                ids.put(piece.asText(), i);
            }
        } else {
            throw new IOException(file + " has no model.vocab");
        }
        Set<Integer> specialIds = new HashSet<>();
        JsonNode added = root.path("added_tokens");
        for (int i = 0; i < added.size(); i++) {
            JsonNode token = added.get(i);
            if (!token.path("content").isTextual()) {
                throw new IOException(file + ": added_tokens[" + i + "] has no content");
            }
            int id = id(token.path("id"), "added_tokens[" + i + "].id", file);
            ids.put(token.path("content").asText(), id);
            if (token.path("special").asBoolean(false)) {
                specialIds.add(id);
            }
        }
        return new Vocabulary(ids, specialIds);
    }

    private static int id(JsonNode node, String where, Path file) throws IOException {
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw new IOException(file + ": " + where + " is not a token id (a non-negative integer): " + node);
        }
        return node.asInt();
    }

    /** One more than the largest id. */
    int size() {
        return tokens.length;
    }

    OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    Optional<String> token(int id) {
        return id >= 0 && id < tokens.length ? Optional.ofNullable(tokens[id]) : Optional.empty();
    }

    /** Whether {@code id} is an added token marked special, the kind decoding can skip. */
    boolean isSpecial(int id) {
        return specialIds.contains(id);
    }
}
