package dev.finetune.lm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A byte-pair-encoding trainer: learns merges from a text corpus and produces a tokenizer in the GPT-2 or the Llama
 * style ({@link TrainedBpe#writeTo} writes it as a Hugging Face folder).
 *
 * <p>The usual algorithm: cut the corpus into pre-tokens ("words") and count them; start every word as a sequence
 * of base symbols; then repeatedly merge the most frequent adjacent pair of symbols into a new symbol, counting
 * pairs over the distinct words weighted by their counts. Only the words that hold the chosen pair are updated,
 * and a priority queue with lazily refreshed counts picks the next pair, so a few megabytes train in seconds.
 *
 * <p>Deterministic: ties between equally frequent pairs go to the pair whose left symbol, then right symbol, has the
 * smaller id. Training stops at the requested vocabulary size, or earlier when no pair occurs
 * {@value #MIN_PAIR_COUNT} times: a pair seen once says nothing about unseen text.
 *
 * <p>The constructor reports all problems with its arguments in one exception.
 */
public final class BpeTrainer {

    /** The tokenizer layout to train and write. */
    public enum Style {
        /**
         * GPT-2: text is split by GPT-2's regex, each piece's UTF-8 bytes are spelled in {@link ByteLevelSymbols}
         * (ids 0-255 in GPT-2's order), merges follow, and {@code <|endoftext|>} (beginning, end and padding) is the
         * last id. No text is unknown.
         */
        GPT2_BYTE_LEVEL("<|endoftext|>", "<|endoftext|>", "<|endoftext|>", "<|endoftext|>"),
        /**
         * Llama (SentencePiece BPE as Llama 2's {@code tokenizer.json} has it): spaces become {@code ▁} and one is
         * prepended; ids are {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, the byte tokens {@code <0x00>}..
         * {@code <0xFF>} 3-258, the corpus's characters, then merges. A character outside the vocabulary falls back
         * to its UTF-8 byte tokens. Padding uses {@code <unk>}, which byte fallback never produces.
         */
        LLAMA_BYTE_FALLBACK("<s>", "</s>", "<unk>", "<unk>");

        private final String bosToken;
        private final String eosToken;
        private final String padToken;
        private final String unkToken;

        Style(String bosToken, String eosToken, String padToken, String unkToken) {
            this.bosToken = bosToken;
            this.eosToken = eosToken;
            this.padToken = padToken;
            this.unkToken = unkToken;
        }

        public String bosToken() {
            return bosToken;
        }

        public String eosToken() {
            return eosToken;
        }

        public String padToken() {
            return padToken;
        }

        /** The token {@code tokenizer_config.json} names for unknown text (GPT-2 names its one special token). */
        public String unkToken() {
            return unkToken;
        }

        /** The tokens every vocabulary of this style has before any merge: specials and byte symbols. */
        public int baseVocabSize() {
            return this == GPT2_BYTE_LEVEL ? 257 : 259;
        }

        /** The special tokens, each once, in id order. */
        List<String> specialTokens() {
            return this == GPT2_BYTE_LEVEL ? List.of(eosToken) : List.of(unkToken, bosToken, eosToken);
        }
    }

    /** Pairs seen fewer times than this are never merged. */
    public static final int MIN_PAIR_COUNT = 2;

    /**
     * Share of character occurrences that the Llama style's single-character tokens cover, SentencePiece's default:
     * the rarest characters are left to byte fallback instead of taking vocabulary slots.
     */
    public static final double CHARACTER_COVERAGE = 0.9995;

    /** Largest vocabulary accepted; ids must fit comfortably in an embedding table. */
    public static final int MAX_VOCAB_SIZE = 1 << 20;

    /**
     * GPT-2's pre-tokenizer regex (contractions, letters, digits, other symbols, each with one optional leading
     * space; whitespace runs leave their last space to the next word). Unicode classes approximate the Rust
     * library's Oniguruma, which only matters for which merges are worth learning.
     */
    static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** SentencePiece's whitespace mark, U+2581. */
    static final char SPACE_MARK = '▁';

    private final Style style;
    private final int vocabSize;

    /**
     * @param style     the tokenizer layout
     * @param vocabSize number of ids wanted, at least the style's {@link Style#baseVocabSize()} (e.g. 512 or 8192)
     */
    public BpeTrainer(Style style, int vocabSize) {
        List<String> problems = new ArrayList<>();
        if (style == null) {
            problems.add("style must be one of " + Arrays.toString(Style.values()) + ", was null");
        } else if (vocabSize < style.baseVocabSize()) {
            problems.add("vocabSize must be >= " + style.baseVocabSize() + " for " + style + " (its specials and byte"
                    + " tokens), was " + vocabSize);
        }
        if (vocabSize > MAX_VOCAB_SIZE) {
            problems.add("vocabSize must be <= " + MAX_VOCAB_SIZE + ", was " + vocabSize);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid BpeTrainer: " + String.join("; ", problems));
        }
        this.style = style;
        this.vocabSize = vocabSize;
    }

    public Style style() {
        return style;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /**
     * Learns merges from {@code corpus}. Occurrences of the style's special tokens in the text are cut out first:
     * the tokenizer matches them whole, so their pieces are not worth merges.
     *
     * @return the vocabulary and merges; fewer than {@link #vocabSize()} ids when the corpus runs out of pairs seen
     *         {@value #MIN_PAIR_COUNT} times
     */
    public TrainedBpe train(String corpus) {
        Objects.requireNonNull(corpus, "corpus");
        String specials = style.specialTokens().stream().map(Pattern::quote).collect(Collectors.joining("|"));
        List<String> chunks = Pattern.compile(specials).splitAsStream(corpus).toList();
        Map<String, Integer> wordCounts = style == Style.GPT2_BYTE_LEVEL ? gpt2Words(chunks) : llamaWords(chunks);

        Symbols symbols = style == Style.GPT2_BYTE_LEVEL ? gpt2Symbols() : llamaSymbols(wordCounts);
        List<Word> words = new ArrayList<>(wordCounts.size());
        wordCounts.forEach((text, count) -> words.add(new Word(symbols.spell(text), count)));

        int mergedVocabSize = style == Style.GPT2_BYTE_LEVEL ? vocabSize - 1 : vocabSize; // GPT-2's special is last
        List<TrainedBpe.Merge> merges = new MergeLearner(words, symbols).learn(mergedVocabSize);
        List<String> vocab = new ArrayList<>(symbols.vocab);
        if (style == Style.GPT2_BYTE_LEVEL) {
            vocab.add(style.eosToken());
        }
        return new TrainedBpe(style, vocab, merges);
    }

    /** GPT-2 pre-tokens and their counts, in a sorted map so that training never depends on hash order. */
    private static Map<String, Integer> gpt2Words(List<String> chunks) {
        Map<String, Integer> counts = new HashMap<>();
        for (String chunk : chunks) {
            Matcher matcher = GPT2_SPLIT.matcher(chunk);
            while (matcher.find()) {
                counts.merge(matcher.group(), 1, Integer::sum);
            }
        }
        return new TreeMap<>(counts);
    }

    /**
     * Llama words: each line normalized as the tokenizer does ({@code ▁} prepended, spaces to {@code ▁}) and cut
     * before every {@code ▁}, so that no merge spans a space, as SentencePiece trains. Newlines are left out: in
     * Llama's vocabulary a newline is the byte token {@code <0x0A>}.
     */
    private static Map<String, Integer> llamaWords(List<String> chunks) {
        Map<String, Integer> counts = new HashMap<>();
        for (String chunk : chunks) {
            for (String line : chunk.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String normalized = SPACE_MARK + line.replace(' ', SPACE_MARK);
                int start = 0;
                for (int i = 1; i <= normalized.length(); i++) {
                    if (i == normalized.length() || normalized.charAt(i) == SPACE_MARK) {
                        counts.merge(normalized.substring(start, i), 1, Integer::sum);
                        start = i;
                    }
                }
            }
        }
        return new TreeMap<>(counts);
    }

    private static Symbols gpt2Symbols() {
        Symbols symbols = new Symbols(true);
        TrainedBpe.fixedTokens(Style.GPT2_BYTE_LEVEL).forEach(symbols::add);
        symbols.reserved.add(Style.GPT2_BYTE_LEVEL.eosToken());
        return symbols;
    }

    /** Specials, byte tokens, then the most frequent characters up to {@link #CHARACTER_COVERAGE}. */
    private Symbols llamaSymbols(Map<String, Integer> wordCounts) {
        Symbols symbols = new Symbols(false);
        for (String fixed : TrainedBpe.fixedTokens(Style.LLAMA_BYTE_FALLBACK)) {
            symbols.add(fixed);
            symbols.reserved.add(fixed);
        }
        Map<Integer, Long> charCounts = new HashMap<>();
        long total = 0;
        for (Map.Entry<String, Integer> word : wordCounts.entrySet()) {
            for (int cp : word.getKey().codePoints().toArray()) {
                charCounts.merge(cp, (long) word.getValue(), Long::sum);
                total += word.getValue();
            }
        }
        List<Map.Entry<Integer, Long>> byFrequency = new ArrayList<>(charCounts.entrySet());
        byFrequency.sort(Map.Entry.<Integer, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        long covered = 0;
        for (Map.Entry<Integer, Long> entry : byFrequency) {
            if (covered >= CHARACTER_COVERAGE * total || symbols.vocab.size() >= vocabSize) {
                break;
            }
            symbols.add(Character.toString(entry.getKey()));
            covered += entry.getValue();
        }
        return symbols;
    }

    /** The growing vocabulary (index = id) and how a word is spelled in its base symbols. */
    private static final class Symbols {
        final List<String> vocab = new ArrayList<>();
        final Map<String, Integer> ids = new HashMap<>();
        /** Strings a merge must not produce: they already mean something else (specials, byte tokens). */
        final Set<String> reserved = new HashSet<>();
        final boolean byteLevel;

        Symbols(boolean byteLevel) {
            this.byteLevel = byteLevel;
        }

        int add(String token) {
            Integer existing = ids.get(token);
            if (existing != null) {
                return existing;
            }
            vocab.add(token);
            ids.put(token, vocab.size() - 1);
            return vocab.size() - 1;
        }

        /** Base symbol ids of a word; {@link Word#BARRIER} for a character left to byte fallback. */
        int[] spell(String word) {
            if (byteLevel) {
                byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
                int[] spelled = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    spelled[i] = ids.get(String.valueOf(ByteLevelSymbols.charOf(bytes[i] & 0xFF)));
                }
                return spelled;
            }
            return word.codePoints().map(cp -> ids.getOrDefault(Character.toString(cp), Word.BARRIER)).toArray();
        }
    }

    /** A distinct pre-token: its current symbols and how often it occurs. */
    private static final class Word {
        /** Stands for a character without a token: no pair includes it. */
        static final int BARRIER = -1;

        int[] symbols;
        final int count;

        Word(int[] symbols, int count) {
            this.symbols = symbols;
            this.count = count;
        }
    }

    /** A pair and the count it had when queued; stale entries are refreshed when they come up. */
    private record Candidate(long pair, int count) {
        static final Comparator<Candidate> BEST_FIRST =
                Comparator.comparingInt(Candidate::count).reversed().thenComparingLong(Candidate::pair);
    }

    /** The merge loop over word counts. */
    private static final class MergeLearner {
        private final List<Word> words;
        private final Symbols symbols;
        private final Map<Long, Integer> pairCounts = new HashMap<>();
        /** Words that held each pair at some point (with repeats); checked when the pair is merged. */
        private final Map<Long, IntList> wordsWithPair = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>(Candidate.BEST_FIRST);
        private final Set<Long> forbidden = new HashSet<>();

        MergeLearner(List<Word> words, Symbols symbols) {
            this.words = words;
            this.symbols = symbols;
            for (int w = 0; w < words.size(); w++) {
                Word word = words.get(w);
                int[] s = word.symbols;
                for (int i = 0; i + 1 < s.length; i++) {
                    if (s[i] != Word.BARRIER && s[i + 1] != Word.BARRIER) {
                        long pair = pair(s[i], s[i + 1]);
                        pairCounts.merge(pair, word.count, Integer::sum);
                        wordsWithPair.computeIfAbsent(pair, p -> new IntList()).add(w);
                    }
                }
            }
            pairCounts.forEach((pair, count) -> queue.add(new Candidate(pair, count)));
        }

        List<TrainedBpe.Merge> learn(int targetVocabSize) {
            List<TrainedBpe.Merge> merges = new ArrayList<>();
            int[] lastVisit = new int[words.size()];
            Arrays.fill(lastVisit, -1);
            while (symbols.vocab.size() < targetVocabSize && !queue.isEmpty()) {
                Candidate top = queue.poll();
                int current = pairCounts.getOrDefault(top.pair(), 0);
                if (current != top.count()) {
                    if (current > 0) {
                        queue.add(new Candidate(top.pair(), current));
                    }
                    continue;
                }
                if (current < MIN_PAIR_COUNT) {
                    break;
                }
                String left = symbols.vocab.get(left(top.pair()));
                String right = symbols.vocab.get(right(top.pair()));
                if (forbidden.contains(top.pair()) || symbols.reserved.contains(left + right)) {
                    forbidden.add(top.pair());
                    continue;
                }
                int merged = symbols.add(left + right);
                merges.add(new TrainedBpe.Merge(left, right));
                apply(top.pair(), merged, merges.size(), lastVisit);
            }
            return merges;
        }

        /** Replaces the pair by {@code merged} in every word holding it, updating the pair counts. */
        private void apply(long pair, int merged, int round, int[] lastVisit) {
            int left = left(pair);
            int right = right(pair);
            IntList candidates = wordsWithPair.getOrDefault(pair, new IntList());
            wordsWithPair.remove(pair); // a greedy pass leaves no occurrence of the pair behind
            Set<Long> grown = new HashSet<>();
            for (int k = 0; k < candidates.size; k++) {
                int w = candidates.values[k];
                if (lastVisit[w] == round) {
                    continue;
                }
                lastVisit[w] = round;
                Word word = words.get(w);
                int[] after = mergeAll(word.symbols, left, right, merged);
                if (after == null) {
                    continue;
                }
                count(word.symbols, -word.count, w, merged, grown);
                count(after, word.count, w, merged, grown);
                word.symbols = after;
            }
            for (long p : grown) {
                queue.add(new Candidate(p, pairCounts.get(p)));
            }
        }

        /** Adds {@code delta} to the count of each pair of {@code s}; pairs with {@code merged} are new: indexed, queued. */
        private void count(int[] s, int delta, int w, int merged, Set<Long> grown) {
            for (int i = 0; i + 1 < s.length; i++) {
                if (s[i] == Word.BARRIER || s[i + 1] == Word.BARRIER) {
                    continue;
                }
                long p = pair(s[i], s[i + 1]);
                int updated = pairCounts.merge(p, delta, Integer::sum);
                if (updated == 0) {
                    pairCounts.remove(p);
                }
                if (delta > 0 && (s[i] == merged || s[i + 1] == merged)) {
                    wordsWithPair.computeIfAbsent(p, q -> new IntList()).add(w);
                    grown.add(p);
                }
            }
        }

        /** {@code s} with each non-overlapping {@code left right}, taken left to right, replaced; null if none. */
        static int[] mergeAll(int[] s, int left, int right, int merged) {
            int[] out = null;
            int n = 0;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                    if (out == null) {
                        out = new int[s.length - 1];
                        System.arraycopy(s, 0, out, 0, i);
                        n = i;
                    }
                    out[n++] = merged;
                    i++;
                } else if (out != null) {
                    out[n++] = s[i];
                }
            }
            return out == null ? null : Arrays.copyOf(out, n);
        }

        static long pair(int left, int right) {
            return ((long) left << 32) | right;
        }

        static int left(long pair) {
            return (int) (pair >>> 32);
        }

        static int right(long pair) {
            return (int) pair;
        }
    }

    /** A growable list of ints, so that millions of word indices are not boxed. */
    private static final class IntList {
        int[] values = new int[4];
        int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }
}
