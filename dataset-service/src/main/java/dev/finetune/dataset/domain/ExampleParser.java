package dev.finetune.dataset.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.finetune.contracts.events.TaskType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JSONL or CSV upload record by record, keeping valid examples and reporting every bad record with its
 * line number, field and reason. The upload's bytes are streamed, but its valid examples are held in memory.
 *
 * <p>Two kinds of problem: a bad record (missing field, wrong type, too long) is counted in
 * {@link Parsed#rejectedRecords()} and may be skipped; a problem with the upload itself (not UTF-8, broken CSV
 * quoting, a header without the mapped columns, no examples at all) is {@link Parsed#uploadProblem()} and
 * always fails the upload, since the rest of the file cannot be read reliably.
 */
public final class ExampleParser {

    /** Problems past this many are counted but not listed, so a broken file gives a readable answer. */
    static final int MAX_LISTED_PROBLEMS = 100;

    private static final CsvFactory CSV = new CsvFactory();

    private final ObjectMapper mapper;
    private final TaskType task;
    private final int maxTextChars;
    private final FieldMapping fields;

    public ExampleParser(ObjectMapper mapper, TaskType task, int maxTextChars) {
        this(mapper, task, maxTextChars, FieldMapping.DEFAULT);
    }

    public ExampleParser(ObjectMapper mapper, TaskType task, int maxTextChars, FieldMapping fields) {
        this.mapper = mapper;
        this.task = task;
        this.maxTextChars = maxTextChars;
        this.fields = fields;
    }

    /**
     * The outcome of parsing.
     *
     * @param examples        the valid examples, in file order
     * @param problems        the first {@value #MAX_LISTED_PROBLEMS} problems, then a line counting the rest
     * @param problemCount    every problem found, listed or not
     * @param rejectedRecords records with at least one problem
     * @param uploadProblem   a problem with the upload as a whole (also in {@code problems}), or null
     */
    public record Parsed(List<Example> examples, List<String> problems, int problemCount, int rejectedRecords,
                         String uploadProblem) {

        public boolean valid() {
            return problemCount == 0;
        }
    }

    /** Parses JSONL, one JSON object per line. */
    public Parsed parse(InputStream jsonl) {
        return parse(jsonl, UploadFormat.JSONL);
    }

    public Parsed parse(InputStream upload, UploadFormat format) {
        Collector out = new Collector();
        try (Reader reader = new StrictUtf8Reader(upload)) {
            switch (format) {
                case JSONL -> readJsonl(new BufferedReader(reader), out);
                case CSV -> readCsv(reader, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload", e);
        }
        return out.finish();
    }

    private void readJsonl(BufferedReader reader, Collector out) throws IOException {
        int lineNumber = 0;
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (!line.isBlank()) {
                    parseJsonLine(lineNumber, line, out);
                }
            }
        } catch (StrictUtf8Reader.MalformedUtf8Exception e) {
            out.uploadProblem("line " + e.line() + ": not valid UTF-8 text");
        }
    }

    private void parseJsonLine(int line, String json, Collector out) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            out.reject(line, List.of("not valid JSON: " + e.getOriginalMessage()));
            return;
        }
        if (node == null || !node.isObject()) {
            out.reject(line, List.of("must be a JSON object"));
            return;
        }
        List<String> problems = new ArrayList<>();
        String text = requiredText(fields.textField(), jsonString(node, fields.textField(), problems), problems);
        String label = task == TaskType.CLASSIFICATION
                ? requiredText(fields.labelField(), jsonString(node, fields.labelField(), problems), problems)
                : null;
        accept(line, text, label, problems, out);
    }

    /** The raw string of a JSON field, or null with a problem when it is missing or not a string. */
    private static String jsonString(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.add(field + ": is required");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(field + ": must be a string but was " + value.getNodeType().name().toLowerCase());
            return null;
        }
        return value.asText();
    }

    /**
     * CSV, streamed row by row. The header row names the columns; an empty cell counts as a missing field, and a
     * row with more cells than the header is rejected (usually an unquoted comma inside a text).
     */
    private void readCsv(Reader reader, Collector out) throws IOException {
        int[] rowStart = {1};
        try (CsvParser csv = CSV.createParser(reader)) {
            csv.setSchema(CsvSchema.emptySchema());
            List<String> header = null;
            int textColumn = -1;
            int labelColumn = -1;
            for (CsvRow next; (next = nextRow(csv, rowStart)) != null; ) {
                int line = next.line();
                List<String> row = next.cells();
                if (header == null) {
                    header = row.stream().map(String::trim).toList();
                    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {  // byte-order mark from Excel
                        header = new ArrayList<>(header);
                        header.set(0, header.get(0).substring(1));
                    }
                    textColumn = header.indexOf(fields.textField());
                    labelColumn = task == TaskType.CLASSIFICATION ? header.indexOf(fields.labelField()) : -1;
                    List<String> missing = new ArrayList<>();
                    if (textColumn < 0) {
                        missing.add(fields.textField());
                    }
                    if (task == TaskType.CLASSIFICATION && labelColumn < 0) {
                        missing.add(fields.labelField());
                    }
                    if (!missing.isEmpty()) {
                        out.uploadProblem("line " + line + ": the header row has no column " + String.join(" or ", missing)
                                + " (it has " + String.join(", ", header) + "); a CSV upload starts with a header row");
                        return;
                    }
                    continue;
                }
                if (row.size() > header.size()) {
                    out.reject(line, List.of("has " + row.size() + " fields but the header has " + header.size()
                            + "; quote fields that contain commas"));
                    continue;
                }
                List<String> problems = new ArrayList<>();
                String text = requiredText(fields.textField(), csvCell(row, textColumn, fields.textField(), problems),
                        problems);
                String label = task == TaskType.CLASSIFICATION
                        ? requiredText(fields.labelField(), csvCell(row, labelColumn, fields.labelField(), problems),
                        problems)
                        : null;
                accept(line, text, label, problems, out);
            }
        } catch (StrictUtf8Reader.MalformedUtf8Exception e) {
            out.uploadProblem("line " + e.line() + ": not valid UTF-8 text");
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof StrictUtf8Reader.MalformedUtf8Exception bad) {
                out.uploadProblem("line " + bad.line() + ": not valid UTF-8 text");
            } else {
                out.uploadProblem("line " + rowStart[0] + ": not valid CSV: " + e.getOriginalMessage());
            }
        }
    }

    /** One CSV row and the line it starts on (a quoted value may span lines). */
    private record CsvRow(int line, List<String> cells) {
    }

    /**
     * The next row, skipping blank lines; null at the end. {@code rowStart[0]} is kept at the line the row being
     * read starts on, so a row that cannot be read (an unclosed quote) is reported where it starts.
     */
    private static CsvRow nextRow(CsvParser csv, int[] rowStart) throws IOException {
        while (true) {
            JsonToken token = csv.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                throw new IllegalStateException("CSV row expected, got " + token);
            }
            // the row's own start line is on its first value: START_ARRAY carries the previous row's location
            int line = csv.currentLocation().getLineNr();
            rowStart[0] = line;
            List<String> cells = new ArrayList<>();
            while (csv.nextToken() != JsonToken.END_ARRAY) {
                if (cells.isEmpty()) {
                    line = csv.currentTokenLocation().getLineNr();
                    rowStart[0] = line;
                }
                cells.add(csv.getValueAsString());
            }
            rowStart[0] = line;
            if (!(cells.size() == 1 && cells.get(0).isEmpty())) {
                return new CsvRow(line, cells);
            }
        }
    }

    private static String csvCell(List<String> row, int column, String field, List<String> problems) {
        String value = column < row.size() ? row.get(column) : null;
        if (value == null || value.isEmpty()) {
            problems.add(field + ": is required");
            return null;
        }
        return value;
    }

    /** The normalised value, or null with a problem when nothing is left of it. Null in, null out. */
    private static String requiredText(String field, String raw, List<String> problems) {
        if (raw == null) {
            return null;
        }
        String normalised = normalise(raw);
        if (normalised.isEmpty()) {
            problems.add(field + ": must not be empty");
            return null;
        }
        return normalised;
    }

    private void accept(int line, String text, String label, List<String> problems, Collector out) {
        if (text != null && text.length() > maxTextChars) {
            problems.add(fields.textField() + ": is " + text.length() + " characters, more than the limit of "
                    + maxTextChars);
        }
        if (problems.isEmpty()) {
            out.examples.add(new Example(text, label));
        } else {
            out.reject(line, problems);
        }
    }

    /** NFC, control characters dropped, runs of whitespace collapsed to one space, trimmed. */
    public static String normalise(String text) {
        String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        boolean space = false;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else if (!Character.isISOControl(c)) {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The example as one canonical JSON line, as stored in a split file. Stored files always use {@code text}
     * and {@code label}, whatever the upload's field mapping, so trainers and evaluators read one shape.
     */
    public String toJsonLine(Example example) {
        try {
            return mapper.writeValueAsString(example.label() == null
                    ? Map.of("text", example.text())
                    : new TreeMap<>(Map.of("text", example.text(), "label", example.label())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gathers examples and problems while reading, listing at most {@link #MAX_LISTED_PROBLEMS}. */
    private static final class Collector {
        final List<Example> examples = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        int problemCount;
        int rejectedRecords;
        String uploadProblem;

        void reject(int line, List<String> recordProblems) {
            rejectedRecords++;
            for (String p : recordProblems) {
                if (problemCount++ < MAX_LISTED_PROBLEMS) {
                    problems.add("line " + line + ": " + p);
                }
            }
        }

        void uploadProblem(String problem) {
            uploadProblem = problem;
            problemCount++;
            problems.add(problem);
        }

        Parsed finish() {
            if (examples.isEmpty() && problemCount == 0) {
                uploadProblem("the upload holds no examples");
            }
            List<String> listed = new ArrayList<>(problems);
            if (problemCount > listed.size()) {
                listed.add("... and " + (problemCount - listed.size()) + " more problems");
            }
            return new Parsed(List.copyOf(examples), List.copyOf(listed), problemCount, rejectedRecords, uploadProblem);
        }
    }
}
