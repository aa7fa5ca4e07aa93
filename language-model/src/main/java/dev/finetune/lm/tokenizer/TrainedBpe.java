package dev.finetune.lm.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A byte-pair encoding learned by {@link BpeTrainer}: the vocabulary in id order and the merges in the order they
 * were learned, which is the order the tokenizer applies them in.
 *
 * <p>The constructor checks that the vocabulary has the style's fixed tokens at their ids, holds no token twice, and
 * holds both parts and the result of every merge; it reports all problems (the first {@value #MAX_PROBLEMS}) in one
 * exception.
 *
 * @param style  the tokenizer layout
 * @param vocab  token of each id
 * @param merges pairs merged, earliest (highest priority) first
 */
public record TrainedBpe(BpeTrainer.Style style, List<String> vocab, List<Merge> merges) {

    /** More problems than this are counted, not listed. */
    static final int MAX_PROBLEMS = 10;

    /**
     * One learned merge: {@code left} followed by {@code right} becomes the token {@code left + right}.
     *
     * @param left  the first token
     * @param right the token after it
     */
    public record Merge(String left, String right) {
        public Merge {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    public TrainedBpe {
        Objects.requireNonNull(style, "style");
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
        List<String> problems = new ArrayList<>();
        List<String> fixed = fixedTokens(style);
        if (style == BpeTrainer.Style.GPT2_BYTE_LEVEL
                && (vocab.isEmpty() || !vocab.get(vocab.size() - 1).equals(style.eosToken()))) {
            problems.add("the last token must be " + style.eosToken());
        }
        for (int id = 0; id < fixed.size(); id++) {
            if (id >= vocab.size() || !vocab.get(id).equals(fixed.get(id))) {
                problems.add("token " + id + " must be " + fixed.get(id) + ", was "
                        + (id < vocab.size() ? vocab.get(id) : "missing"));
            }
        }
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < vocab.size(); id++) {
            if (!seen.add(vocab.get(id))) {
                problems.add("token " + vocab.get(id) + " appears twice (again at id " + id + ")");
            }
        }
        for (int i = 0; i < merges.size(); i++) {
            Merge merge = merges.get(i);
            for (String part : List.of(merge.left(), merge.right(), merge.left() + merge.right())) {
                if (!seen.contains(part)) {
                    problems.add("merge " + i + " (" + merge.left() + " " + merge.right() + ") needs " + part
                            + ", which is not in the vocabulary");
                }
            }
        }
        if (!problems.isEmpty()) {
            String listed = String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())));
            String more = problems.size() > MAX_PROBLEMS ? "; and " + (problems.size() - MAX_PROBLEMS) + " more" : "";
            throw new IllegalArgumentException("invalid TrainedBpe: " + listed + more);
        }
    }

    /** The tokens at the start of every vocabulary of {@code style}: byte symbols, or specials then byte tokens. */
    static List<String> fixedTokens(BpeTrainer.Style style) {
        List<String> fixed = new ArrayList<>();
        if (style == BpeTrainer.Style.GPT2_BYTE_LEVEL) {
            for (int i = 0; i < 256; i++) {
                fixed.add(String.valueOf(ByteLevelSymbols.charOf(ByteLevelSymbols.byteAt(i))));
            }
        } else {
            fixed.addAll(style.specialTokens());
            for (int b = 0; b < 256; b++) {
                fixed.add(String.format("<0x%02X>", b));
            }
        }
        return fixed;
    }

    /** Number of ids. */
    public int vocabSize() {
        return vocab.size();
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json} into
     * {@code dir} (created if needed), a folder {@link HfTokenizer#load} and {@code transformers}'
     * {@code AutoTokenizer} both read.
     */
    public void writeTo(Path dir) throws IOException {
        TokenizerFiles.write(this, dir);
    }
}
