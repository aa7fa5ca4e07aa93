package dev.finetune.dataset.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSONL upload line by line, keeping valid examples and reporting every bad line with its number,
 * field and reason. The upload's bytes are streamed, but its valid examples are held in memory.
 */
public final class ExampleParser {

    /** Problems past this many are counted but not listed, so a broken file gives a readable answer. */
    static final int MAX_LISTED_PROBLEMS = 100;

    private final ObjectMapper mapper;
    private final TaskType task;
    private final int maxTextChars;

    public ExampleParser(ObjectMapper mapper, TaskType task, int maxTextChars) {
        this.mapper = mapper;
        this.task = task;
        this.maxTextChars = maxTextChars;
    }

    /** The outcome of parsing: the examples in file order, and the problems found. */
    public record Parsed(List<Example> examples, List<String> problems, int problemCount) {

        public boolean valid() {
            return problemCount == 0;
        }
    }

    public Parsed parse(InputStream jsonl) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Example> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int[] problemCount = {0};
        int lineNumber = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(jsonl, decoder))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int number = lineNumber;
                parseLine(line, msg -> {
                    if (problemCount[0]++ < MAX_LISTED_PROBLEMS) {
                        problems.add("line " + number + ": " + msg);
                    }
                }, examples);
            }
        } catch (CharacterCodingException e) {
            problemCount[0]++;
            problems.add("line " + (lineNumber + 1) + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload", e);
        }
        if (examples.isEmpty() && problemCount[0] == 0) {
            problemCount[0]++;
            problems.add("the upload holds no examples");
        }
        if (problemCount[0] > problems.size()) {
            problems.add("... and " + (problemCount[0] - problems.size()) + " more problems");
        }
        return new Parsed(examples, problems, problemCount[0]);
    }

    private void parseLine(String line, java.util.function.Consumer<String> problem, List<Example> examples) {
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            problem.accept("not valid JSON: " + e.getOriginalMessage());
            return;
        }
        if (node == null || !node.isObject()) {
            problem.accept("must be a JSON object");
            return;
        }
        int before = examples.size();
        String text = requiredText(node, "text", problem);
        String label = task == TaskType.CLASSIFICATION ? requiredText(node, "label", problem) : null;
        if (text != null && text.length() > maxTextChars) {
            problem.accept("text: is " + text.length() + " characters, more than the limit of " + maxTextChars);
            return;
        }
        if (text != null && (task != TaskType.CLASSIFICATION || label != null) && examples.size() == before) {
            examples.add(new Example(text, label));
        }
    }

    private static String requiredText(JsonNode node, String field, java.util.function.Consumer<String> problem) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problem.accept(field + ": is required");
            return null;
        }
        if (!value.isTextual()) {
            problem.accept(field + ": must be a string but was " + value.getNodeType().name().toLowerCase());
            return null;
        }
        String normalised = normalise(value.asText());
        if (normalised.isEmpty()) {
            problem.accept(field + ": must not be empty");
            return null;
        }
        return normalised;
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

    /** The example as one canonical JSON line, as stored in a split file. */
    public String toJsonLine(Example example) {
        try {
            return mapper.writeValueAsString(example.label() == null
                    ? Map.of("text", example.text())
                    : new java.util.TreeMap<>(Map.of("text", example.text(), "label", example.label())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
