package dev.finetune.dataset.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.PromptTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * Reads a JSONL or CSV upload record by record, handing each valid example (with its length in tokens) to a sink
 * as soon as it is read, and reporting every bad record with its line number, field and reason. Nothing is held
 * but the record being read, so uploads of any size stream through.
 *
 * <p>Two kinds of problem: a bad record (missing field, wrong type, empty text, unknown label, too long in
 * characters or tokens) is counted in {@link Report#rejectedRecords()} and may be skipped; a problem with the
 * upload itself (not UTF-8, broken CSV quoting, a header without the mapped columns, no examples at all) is
 * {@link Report#uploadProblem()} and always fails the upload, since the rest of the file cannot be read reliably.
 */
public final class ExampleParser {

    /** Problems past this many are counted but not listed, so a broken file gives a readable answer. */
    static final int MAX_LISTED_PROBLEMS = 100;

    private static final CsvFactory CSV = new CsvFactory();

    private final ObjectMapper mapper;
    private final DatasetSettings settings;
    private final TokenCounter tokens;
    private final TaskType task;
    private final Map<String, String> fields;
    private final int maxLineChars;
    /** What normalisation changed in the record being read ({@link #changes} bits). */
    private int recordChanges;
    /** Whether the record being read was too long, in characters or tokens. */
    private boolean recordTooLong;

    /**
     * @param settings     complete settings ({@link DatasetSettings#withDefaults})
     * @param maxLineChars the longest JSONL line read; the rest of a longer one is skipped, not held, and the line
     *                     rejected (a service limit against hostile input, not a dataset setting)
     */
    public ExampleParser(ObjectMapper mapper, DatasetSettings settings, TokenCounter tokens, int maxLineChars) {
        this.maxLineChars = maxLineChars;
        this.mapper = mapper;
        this.settings = settings;
        this.tokens = tokens;
        this.task = settings.task();
        this.fields = settings.fields().fieldsOf(task);
    }

    /**
     * What reading an upload found besides its examples.
     *
     * @param acceptedRecords records handed to the sink
     * @param problems        the first {@value #MAX_LISTED_PROBLEMS} problems, then a line counting the rest
     * @param problemCount    every problem found, listed or not
     * @param rejectedRecords records with at least one problem
     * @param uploadProblem   a problem with the upload as a whole (also in {@code problems}), or null
     * @param tooLong         rejected records that were too long, in characters or tokens
     * @param unicode         accepted records changed by Unicode normalisation (NFC)
     * @param whitespace      accepted records whose whitespace was collapsed or trimmed
     * @param control         accepted records that had control characters removed
     */
    public record Report(int acceptedRecords, List<String> problems, int problemCount, int rejectedRecords,
                         String uploadProblem, int tooLong, int unicode, int whitespace, int control) {

        public boolean valid() {
            return problemCount == 0;
        }
    }

    /** A whole upload's examples in memory, for small inputs and tests. */
    public record Parsed(List<Example> examples, Report report) {
    }

    public Parsed parse(InputStream upload, UploadFormat format) {
        List<Example> examples = new ArrayList<>();
        Report report = parse(upload, format, (e, n) -> examples.add(e));
        return new Parsed(List.copyOf(examples), report);
    }

    /** Reads the upload, giving each valid example and its token count to {@code sink} in file order. */
    public Report parse(InputStream upload, UploadFormat format, ObjIntConsumer<Example> sink) {
        Collector out = new Collector(sink);
        try (Reader reader = new StrictUtf8Reader(upload)) {
            switch (format) {
                case JSONL -> readJsonl(new BoundedLineReader(reader, maxLineChars), out);
                case CSV -> readCsv(reader, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload", e);
        }
        return out.finish();
    }

    /** One record that is not part of a file (a streamed labeled example): the example, or every problem. */
    public Example parseRecord(JsonNode record) {
        List<String> problems = new ArrayList<>();
        Example example = record != null && record.isObject() ? toExample(record, problems, false) : null;
        if (example == null && problems.isEmpty()) {
            problems.add("must be a JSON object");
        }
        if (example != null) {
            checkTokens(example, problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return example;
    }

    /** A row as stored in a split file (role names, already normalised and validated), read back. */
    public static Example fromStoredRow(TaskType task, JsonNode row, ObjectMapper mapper) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = mapper.convertValue(row, LinkedHashMap.class);
        return new Example(task, fields);
    }

    private void readJsonl(BoundedLineReader reader, Collector out) throws IOException {
        int lineNumber = 0;
        try {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (reader.lastWasTooLong()) {
                    out.tooLong++;
                    out.reject(lineNumber, List.of("is longer than the limit of " + maxLineChars
                            + " characters per line"));
                } else if (!line.isBlank()) {
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
        accept(line, node, false, out);
    }

    private void accept(int line, JsonNode record, boolean fromCsv, Collector out) {
        recordChanges = 0;
        recordTooLong = false;
        List<String> problems = new ArrayList<>();
        Example example = toExample(record, problems, fromCsv);
        int count = example == null ? 0 : checkTokens(example, problems);
        if (problems.isEmpty()) {
            out.accept(example, count, recordChanges);
        } else {
            out.tooLong += recordTooLong ? 1 : 0;
            out.reject(line, problems);
        }
    }

    /** The example of a record, or null with its problems. */
    private Example toExample(JsonNode record, List<String> problems, boolean fromCsv) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Map.Entry<String, String> role : fields.entrySet()) {
            String name = role.getKey();
            String field = role.getValue();
            JsonNode value = record.get(field);
            boolean optional = name.equals("input") && task == TaskType.INSTRUCTION;
            if (value == null || value.isNull() || (fromCsv && value.asText().isEmpty())) {
                if (!optional) {
                    problems.add(field + ": is required");
                }
                continue;
            }
            switch (name) {
                case "messages" -> {
                    Object messages = messages(field, fromCsv ? parseJson(field, value, problems) : value, problems);
                    if (messages != null) {
                        row.put(name, messages);
                    }
                }
                case "group" -> {
                    if (value.isTextual() || value.isNumber()) {
                        row.put(name, value.asText());
                    } else {
                        problems.add(field + ": must be a string or a number but was " + type(value));
                    }
                }
                default -> {
                    String text = text(field, value, name.equals("text") && task == TaskType.CLASSIFICATION
                            || name.equals("label"), optional, problems);
                    if (text != null) {
                        row.put(name, text);
                    }
                }
            }
        }
        String label = (String) row.get("label");
        if (label != null && !settings.labels().isEmpty() && !settings.labels().contains(label)) {
            problems.add(fields.get("label") + ": '" + label + "' is not one of the dataset's labels "
                    + settings.labels());
        }
        if (!problems.isEmpty()) {
            return null;
        }
        Example example = new Example(task, row);
        if (task == TaskType.CHAT) {
            try {
                new ExampleFormat(false, null).example(row);
            } catch (IllegalArgumentException e) {
                problems.add(fields.get("messages") + e.getMessage().substring("messages".length()));
                return null;
            }
        }
        return example;
    }

    /** The normalised text of a string field, or null with a problem. */
    private String text(String field, JsonNode value, boolean oneLine, boolean optional, List<String> problems) {
        if (!value.isTextual()) {
            problems.add(field + ": must be a string but was " + type(value));
            return null;
        }
        String text = normalise(value.asText(), !oneLine);
        recordChanges |= changes(value.asText(), !oneLine);
        if (text.isEmpty()) {
            if (!optional) {
                problems.add(field + ": must not be empty");
            }
            return null;
        }
        if (text.length() > settings.maxTextChars()) {
            recordTooLong = true;
            problems.add(field + ": is " + text.length() + " characters, more than the limit of "
                    + settings.maxTextChars());
            return null;
        }
        return text;
    }

    /** A chat's messages as stored: a list of role and content, each content normalised. */
    private List<Map<String, String>> messages(String field, JsonNode value, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (!value.isArray() || value.isEmpty()) {
            problems.add(field + ": must be a non-empty list of messages but was " + type(value));
            return null;
        }
        List<Map<String, String>> messages = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < value.size(); i++) {
            JsonNode m = value.get(i);
            String at = field + "[" + i + "]";
            if (!m.isObject()) {
                problems.add(at + ": must be an object with role and content but was " + type(m));
                continue;
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !PromptTemplate.Message.ROLES.contains(role.asText())) {
                problems.add(at + ".role: must be one of " + PromptTemplate.Message.ROLES + " but was "
                        + (role == null ? "missing" : role.toString()));
                continue;
            }
            JsonNode content = m.get("content");
            if (content == null || !content.isTextual() || normaliseKeepingLines(content.asText()).isEmpty()) {
                problems.add(at + ".content: is required and must be a non-empty string");
                continue;
            }
            String text = normaliseKeepingLines(content.asText());
            recordChanges |= changes(content.asText(), true);
            total += text.length();
            messages.add(Map.of("role", role.asText(), "content", text));
        }
        if (total > settings.maxTextChars()) {
            recordTooLong = true;
            problems.add(field + ": is " + total + " characters, more than the limit of " + settings.maxTextChars());
        }
        return problems.isEmpty() ? messages : null;
    }

    private JsonNode parseJson(String field, JsonNode cell, List<String> problems) {
        try {
            return mapper.readTree(cell.asText());
        } catch (JsonProcessingException e) {
            problems.add(field + ": must hold the messages as a JSON list: " + e.getOriginalMessage());
            return null;
        }
    }

    private int checkTokens(Example example, List<String> problems) {
        int count = tokens.count(example);
        if (settings.maxTokens() != null && count > settings.maxTokens()) {
            recordTooLong = true;
            problems.add("is " + count + " tokens (" + tokens.name() + "), more than the limit of "
                    + settings.maxTokens());
        }
        return count;
    }

    private static String type(JsonNode value) {
        return value.getNodeType().name().toLowerCase();
    }

    /**
     * CSV, streamed row by row. The header row names the columns; an empty cell counts as a missing field, and a
     * row with more cells than the header is rejected (usually an unquoted comma inside a text). A chat's messages
     * are a JSON list in one cell.
     */
    private void readCsv(Reader reader, Collector out) throws IOException {
        int[] rowStart = {1};
        try (CsvParser csv = CSV.createParser(reader)) {
            csv.setSchema(CsvSchema.emptySchema());
            List<String> header = null;
            for (CsvRow next; (next = nextRow(csv, rowStart)) != null; ) {
                int line = next.line();
                List<String> row = next.cells();
                if (header == null) {
                    header = row.stream().map(String::trim).toList();
                    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {  // byte-order mark from Excel
                        header = new ArrayList<>(header);
                        header.set(0, header.get(0).substring(1));
                    }
                    List<String> missing = new ArrayList<>();
                    for (Map.Entry<String, String> role : fields.entrySet()) {
                        boolean optional = role.getKey().equals("input") && task == TaskType.INSTRUCTION;
                        if (!optional && !header.contains(role.getValue())) {
                            missing.add(role.getValue());
                        }
                    }
                    if (!missing.isEmpty()) {
                        out.uploadProblem("line " + line + ": the header row has no column "
                                + String.join(" or ", missing)
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
                ObjectNode record = mapper.createObjectNode();
                for (int i = 0; i < row.size(); i++) {
                    record.put(header.get(i), row.get(i));
                }
                accept(line, record, true, out);
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

    /** NFC, control characters dropped, runs of whitespace (line breaks included) collapsed to one space, trimmed. */
    public static String normalise(String text) {
        return normalise(text, false);
    }

    /**
     * As {@link #normalise(String)}, but line breaks are kept (at most one empty line in a row), for the long-form
     * fields of instruction, chat, generation and language-modelling rows, whose layout carries meaning.
     */
    public static String normaliseKeepingLines(String text) {
        return normalise(text, true);
    }

    /** Bits of {@link #changes}: what normalisation changed in a text. */
    static final int UNICODE = 1;
    static final int WHITESPACE = 2;
    static final int CONTROL = 4;

    /** What normalising {@code raw} changes: {@link #UNICODE}, {@link #WHITESPACE} and {@link #CONTROL} bits. */
    static int changes(String raw, boolean keepLines) {
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder stripped = new StringBuilder(nfc.length());
        nfc.chars().filter(c -> !Character.isISOControl(c) || Character.isWhitespace(c))
                .forEach(stripped::appendCodePoint);
        int changes = nfc.equals(raw) ? 0 : UNICODE;
        changes |= stripped.length() == nfc.length() ? 0 : CONTROL;
        return changes | (normalise(raw, keepLines).contentEquals(stripped) ? 0 : WHITESPACE);
    }

    private static String normalise(String text, boolean keepLines) {
        String nfc = Normalizer.normalize(text.replace("\r\n", "\n"), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        boolean space = false;
        int newlines = 0;
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (keepLines && (c == '\n' || c == '\r')) {
                newlines += out.length() > 0 ? 1 : 0;
                space = false;
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else if (!Character.isISOControl(c)) {
                if (newlines > 0) {
                    out.append(newlines > 1 ? "\n\n" : "\n");
                    newlines = 0;
                    space = false;
                } else if (space) {
                    out.append(' ');
                }
                space = false;
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The example as one canonical JSON line, as stored in a split file: the role names, whatever the upload's
     * field mapping, so trainers and evaluators read one shape.
     */
    public String toJsonLine(Example example) {
        try {
            return mapper.writeValueAsString(canonicalOrder(example.row()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<String> ORDER = List.of("instruction", "input", "text", "messages", "output", "label",
            "group");

    private static Map<String, Object> canonicalOrder(Map<String, Object> row) {
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String key : ORDER) {
            if (row.containsKey(key)) {
                ordered.put(key, row.get(key));
            }
        }
        return ordered;
    }

    /** Passes examples on and gathers problems, listing at most {@link #MAX_LISTED_PROBLEMS}. */
    private static final class Collector {
        final ObjIntConsumer<Example> sink;
        final List<String> problems = new ArrayList<>();
        int accepted;
        int problemCount;
        int rejectedRecords;
        String uploadProblem;
        int tooLong;
        int unicode;
        int whitespace;
        int control;

        Collector(ObjIntConsumer<Example> sink) {
            this.sink = sink;
        }

        void accept(Example example, int tokens, int changes) {
            accepted++;
            unicode += (changes & UNICODE) != 0 ? 1 : 0;
            whitespace += (changes & WHITESPACE) != 0 ? 1 : 0;
            control += (changes & CONTROL) != 0 ? 1 : 0;
            sink.accept(example, tokens);
        }

        void reject(int line, List<String> recordProblems) {
            rejectedRecords++;
            for (String p : recordProblems) {
                if (problemCount++ < MAX_LISTED_PROBLEMS) {
                    problems.add("line " + line + ": " + p);
                }
            }
        }

        /** A problem with the whole upload: always listed, first, whatever the cap. */
        void uploadProblem(String problem) {
            uploadProblem = problem;
            problemCount++;
            problems.add(0, problem);
        }

        Report finish() {
            if (accepted == 0 && problemCount == 0) {
                uploadProblem("the upload holds no examples");
            }
            List<String> listed = new ArrayList<>(problems);
            if (problemCount > listed.size()) {  // at most the cap, the upload's own problem, and this line
                listed.add("... and " + (problemCount - listed.size()) + " more problems");
            }
            return new Report(accepted, List.copyOf(listed), problemCount, rejectedRecords, uploadProblem, tooLong,
                    unicode, whitespace, control);
        }
    }
}
