package dev.finetune.dataset.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.storage.Digests;
import dev.finetune.contracts.storage.LocalFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds a dataset version from examples streamed in, on disk: examples are spooled to a file as they arrive
 * (and noted by {@link Cleaning}), then read once more to drop what cleaning drops, assign splits and write the
 * split files. Memory holds a few hashes per distinct example, never the examples themselves.
 *
 * <p>Splits never move an example: an example whose split key (its group, or its prompt up to case and
 * punctuation) is in the parent version keeps the parent's split. New classification examples without groups are
 * stratified: each goes to the split furthest below its target share for the example's label (ties broken by the
 * key's hash), so every label is spread as the ratios say. Everything else is split by a stable hash of its key.
 * The same examples in the same splits always make the same version (see {@link #contentHash}).
 */
public final class VersionBuilder implements AutoCloseable {

    /** Version ids are this many hex digits of the content hash. */
    static final int VERSION_HEX_DIGITS = 16;

    private final TaskType task;
    private final SplitRatios ratios;
    private final ExampleParser parser;
    private final ObjectMapper mapper;
    private final Path dir;
    private final Path spool;
    private final BufferedWriter spoolOut;
    private final Cleaning cleaning = new Cleaning();
    /** Split key hash to split ordinal: the parent's, then those given in this build. */
    private final LongIntMap knownSplits = new LongIntMap();
    /** Exact hashes of the parent's examples. */
    private final LongIntMap parentExamples = new LongIntMap();
    private int parentCount;
    private int spooled;

    public VersionBuilder(TaskType task, SplitRatios ratios, ExampleParser parser, ObjectMapper mapper) {
        this.task = task;
        this.ratios = ratios;
        this.parser = parser;
        this.mapper = mapper;
        try {
            this.dir = Files.createTempDirectory("dataset-version-");
            this.spool = dir.resolve("spool.jsonl");
            this.spoolOut = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the version's working folder", e);
        }
    }

    /**
     * An example of the parent version and its split: the split is kept for every example with the same split
     * key; with {@code keep}, the example is also part of the new version (an append), cleaned with the rest.
     */
    public void parent(Example example, Split split, int tokens, boolean keep) {
        knownSplits.put(StableHash.of(example.splitKey()), split.ordinal());
        parentExamples.put(example.identity(), 1);
        parentCount++;
        if (keep) {
            add(example, tokens);
        }
    }

    /** An example of the new version, in order; cleaning may still drop it. */
    public void add(Example example, int tokens) {
        cleaning.observe(example);
        try {
            spoolOut.write(Integer.toString(tokens));
            spoolOut.write('\t');
            spoolOut.write(parser.toJsonLine(example));
            spoolOut.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool the upload", e);
        }
        spooled++;
    }

    public int added() {
        return spooled;
    }

    /** A version built: its id and content hash, split files on local disk, and what it holds. */
    public record Built(String version, String contentSha256, List<String> labels, Map<Split, Path> files,
                        Map<Split, Integer> counts, Map<String, Map<String, Integer>> labelCounts,
                        Map<String, TokenStats> tokens, int duplicates, int nearDuplicates, int conflictingLabels,
                        int added, int removed) {
    }

    /**
     * Cleans, splits and writes the examples added.
     *
     * @throws IllegalArgumentException when nothing is left after cleaning or a split would be empty
     */
    public Built build() {
        Map<Split, Path> files = new EnumMap<>(Split.class);
        Map<Split, BufferedWriter> writers = new EnumMap<>(Split.class);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        Map<Split, TokenStats.Histogram> histograms = new EnumMap<>(Split.class);
        Map<Split, Map<String, Integer>> labelCounts = new EnumMap<>(Split.class);
        Map<String, int[]> perLabel = new TreeMap<>();
        int[] dropped = new int[Cleaning.Verdict.values().length];
        long[] contents = new long[Math.max(16, spooled)];
        int added = 0;
        int retained = 0;
        int kept = 0;
        try {
            spoolOut.close();
            for (Split s : Split.values()) {
                files.put(s, dir.resolve(s.fileName()));
                writers.put(s, Files.newBufferedWriter(files.get(s), StandardCharsets.UTF_8));
                counts.put(s, 0);
                histograms.put(s, new TokenStats.Histogram());
                labelCounts.put(s, new TreeMap<>());
            }
            try (BufferedReader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
                for (String entry; (entry = in.readLine()) != null; ) {
                    int tab = entry.indexOf('\t');
                    int tokens = Integer.parseInt(entry, 0, tab, 10);
                    String line = entry.substring(tab + 1);
                    Example e = ExampleParser.fromStoredRow(task, mapper.readTree(line), mapper);
                    Cleaning.Verdict verdict = cleaning.decide(e);
                    dropped[verdict.ordinal()]++;
                    if (verdict != Cleaning.Verdict.KEEP) {
                        continue;
                    }
                    Split split = assign(e, perLabel);
                    writers.get(split).write(line);
                    writers.get(split).write('\n');
                    contents[kept++] = (e.identity() & ~3L) | split.ordinal();
                    counts.merge(split, 1, Integer::sum);
                    histograms.get(split).add(tokens);
                    if (e.label() != null) {
                        labelCounts.get(split).merge(e.label(), 1, Integer::sum);
                    }
                    if (parentExamples.containsKey(e.identity())) {
                        retained++;
                    } else {
                        added++;
                    }
                }
            }
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the version's split files", e);
        }
        if (kept == 0) {
            throw new IllegalArgumentException("no example is left after cleaning: "
                    + dropped[Cleaning.Verdict.CONFLICTING_LABEL.ordinal()]
                    + " examples have a text that also appears with another label");
        }
        List<String> empty = counts.entrySet().stream().filter(en -> en.getValue() == 0)
                .map(en -> en.getKey().name().toLowerCase()).toList();
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException(kept + " examples leave the " + String.join(" and ", empty)
                    + " split empty; upload more examples");
        }
        String sha = contentHash(Arrays.copyOf(contents, kept));
        Map<String, Map<String, Integer>> labelsBySplit = new LinkedHashMap<>();
        Map<String, TokenStats> tokens = new LinkedHashMap<>();
        TreeSet<String> labels = new TreeSet<>();
        for (Split s : Split.values()) {
            labelsBySplit.put(s.label(), labelCounts.get(s));
            tokens.put(s.label(), histograms.get(s).stats());
            labels.addAll(labelCounts.get(s).keySet());
        }
        return new Built("v" + sha.substring(0, VERSION_HEX_DIGITS), sha, new ArrayList<>(labels), files, counts,
                task == TaskType.CLASSIFICATION ? labelsBySplit : Map.of(), tokens,
                dropped[Cleaning.Verdict.DUPLICATE.ordinal()], dropped[Cleaning.Verdict.NEAR_DUPLICATE.ordinal()],
                dropped[Cleaning.Verdict.CONFLICTING_LABEL.ordinal()], added, parentCount - retained);
    }

    /**
     * SHA-256 over the task and the sorted (example, split) pairs: the same examples in the same splits make the
     * same version, whatever order they arrived in (an append re-reads the parent split by split).
     */
    private String contentHash(long[] pairs) {
        Arrays.sort(pairs);
        MessageDigest digest = Digests.newSha256();
        digest.update(task.name().getBytes(StandardCharsets.UTF_8));
        ByteBuffer buffer = ByteBuffer.allocate(8 * 1024);
        for (long pair : pairs) {
            if (!buffer.hasRemaining()) {
                digest.update(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            buffer.putLong(pair);
        }
        digest.update(buffer.array(), 0, buffer.position());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The split of a kept example: its key's known split, else stratified by label, else by hash. */
    private Split assign(Example e, Map<String, int[]> perLabel) {
        String key = e.splitKey();
        long hash = StableHash.of(key);
        int known = knownSplits.get(hash, -1);
        Split split;
        if (known >= 0) {
            split = Split.values()[known];
        } else if (task == TaskType.CLASSIFICATION && e.group() == null) {
            split = mostBehind(perLabel.computeIfAbsent(e.label(), l -> new int[3]), ratios.assign(key));
            knownSplits.put(hash, split.ordinal());
        } else {
            split = ratios.assign(key);
            knownSplits.put(hash, split.ordinal());
        }
        if (e.label() != null) {
            perLabel.computeIfAbsent(e.label(), l -> new int[3])[split.ordinal()]++;
        }
        return split;
    }

    /** The split furthest below its share of a label's examples; {@code preferred} among equals. */
    private Split mostBehind(int[] counts, Split preferred) {
        int n = counts[0] + counts[1] + counts[2] + 1;
        double[] deficit = new double[3];
        for (Split s : Split.values()) {
            deficit[s.ordinal()] = ratios.share(s) * n - counts[s.ordinal()];
        }
        double best = Math.max(deficit[0], Math.max(deficit[1], deficit[2]));
        if (deficit[preferred.ordinal()] >= best - 1e-9) {
            return preferred;
        }
        for (Split s : Split.values()) {
            if (deficit[s.ordinal()] >= best - 1e-9) {
                return s;
            }
        }
        throw new IllegalStateException("no split");
    }

    @Override
    public void close() {
        try {
            spoolOut.close();
        } catch (IOException ignored) {
            // the folder goes anyway
        }
        LocalFiles.deleteQuietly(dir);
    }
}
