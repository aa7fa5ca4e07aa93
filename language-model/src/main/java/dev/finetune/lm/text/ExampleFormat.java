package dev.finetune.lm.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How dataset rows become training examples, one home for the trainer (what the model learns) and the evaluator
 * (what it is asked): a model is scored in the format it was trained in.
 *
 * <p>Classification is taught through label words: the model reads the text and generates the label, so one causal
 * LM serves classification and generation. Without a template the prompt is {@code Text: ...\nLabel:}; an
 * instruction-tuned model gets the text as the input of an instruction in its {@link PromptTemplate}. Rows with
 * {@code instruction} (or {@code prompt}) and {@code response} (or {@code output}) fields, and an optional
 * {@code input}, are instruction examples; rows with {@code input} and {@code output} only (summarisation,
 * translation) are instruction examples whose instruction is the input; rows with {@code messages} (a list of
 * {@code role}/{@code content} objects ending with the assistant) are conversations whose last answer is learned;
 * rows with {@code text} alone are plain language modelling.
 *
 * <p>A dataset's own prompt ({@link #withPrompt}) replaces all of this for scoring a base model as it is, "prompt
 * engineering first": the row's fields fill the prompt's {@code {text}}, {@code {instruction}} and {@code {input}},
 * and the answer (label or output) follows after a space.
 *
 * @param classification whether rows hold {@code text} and {@code label}
 * @param template       the instruction layout, or null for the plain formats
 * @param prompt         a dataset's prompt with placeholders, or null
 * @param demonstrations solved examples written before each prompt (few-shot), already filled; empty for none
 */
public record ExampleFormat(boolean classification, PromptTemplate template, String prompt, String demonstrations) {

    /** What separates one solved example from the next in a few-shot prompt. */
    public static final String SHOT_SEPARATOR = "\n\n";

    public ExampleFormat {
        demonstrations = demonstrations == null ? "" : demonstrations;
        if (!demonstrations.isEmpty() && prompt == null) {
            throw new IllegalArgumentException("demonstrations need a prompt to be written in");
        }
    }

    public ExampleFormat(boolean classification, PromptTemplate template) {
        this(classification, template, null, "");
    }

    /** The format of a dataset's prompt for the base model: {@code {text}} etc. filled from each row. */
    public static ExampleFormat withPrompt(String prompt, boolean classification) {
        return new ExampleFormat(classification, null, Objects.requireNonNull(prompt, "prompt"), "");
    }

    /**
     * This prompt format preceded by {@code shots} solved examples (few-shot): each row written as the prompt with
     * its answer, in the order given, separated by blank lines.
     */
    public ExampleFormat withDemonstrations(List<? extends Map<String, ?>> shots) {
        if (prompt == null) {
            throw new IllegalStateException("only a dataset's prompt takes demonstrations");
        }
        StringBuilder text = new StringBuilder();
        for (Map<String, ?> row : shots) {
            TrainingExample solved = withPrompt(prompt, classification).example(row);
            text.append(solved.prompt()).append(solved.completion()).append(SHOT_SEPARATOR);
        }
        return new ExampleFormat(classification, null, prompt, text.toString());
    }

    /**
     * Key of the manifest extra naming the {@link PromptTemplate} a model was trained with; absent for the plain
     * formats. Written by the trainer, read by the evaluator.
     */
    public static final String MANIFEST_KEY = "promptTemplate";

    /** The instruction an instruction-tuned classifier is given before each text. */
    public static final String CLASSIFY = "Classify the text. Answer with its label only.";

    /** The format a model was trained in, from the {@code extras} of its manifest. */
    public static ExampleFormat fromManifestExtras(Map<String, String> extras, boolean classification) {
        String template = extras.get(MANIFEST_KEY);
        return new ExampleFormat(classification, template == null ? null : PromptTemplate.valueOf(template));
    }

    /** The example of one dataset row. */
    public TrainingExample example(Map<String, ?> row) {
        if (prompt != null) {
            Object answer = classification ? row.get("label") : first(row, "output", "response");
            return new TrainingExample(demonstrations + fill(row),
                    " " + Objects.requireNonNull(answer, "row has no answer field"));
        }
        PromptTemplate layout = template == null ? PromptTemplate.HUMAN_ASSISTANT : template;
        if (row.get("messages") instanceof List<?> messages) {
            return layout.conversation(messages(messages));
        }
        Object instruction = first(row, "instruction", "prompt");
        Object response = first(row, "response", "output");
        Object input = row.get("input");
        if (instruction == null && input != null && response != null) {
            return layout.example(input.toString(), null, response.toString());
        }
        if (instruction != null && response != null) {
            return layout.example(instruction.toString(), input == null ? null : input.toString(), response.toString());
        }
        String text = String.valueOf(Objects.requireNonNull(row.get("text"), "row has no 'text' field"));
        if (!classification) {
            return Examples.plainText(text);
        }
        String label = String.valueOf(Objects.requireNonNull(row.get("label"), "row has no 'label' field"));
        return new TrainingExample(labelPrompt(text), labelCompletion(label));
    }

    /** The prompt a classifier reads before generating the label of {@code text}. */
    public String labelPrompt(String text) {
        if (prompt != null) {
            return demonstrations + fill(Map.of("text", text));
        }
        return template == null ? Examples.classificationPrompt(text) : template.prompt(CLASSIFY, text);
    }

    /** The completion that names {@code label}, scored against the other labels' completions. */
    public String labelCompletion(String label) {
        if (prompt != null) {
            return " " + label;
        }
        return template == null
                ? Examples.classificationCompletion(label)
                : template.example(CLASSIFY, null, label).completion();
    }

    private String fill(Map<String, ?> row) {
        String filled = prompt;
        for (String field : List.of("text", "instruction", "input")) {
            Object value = row.get(field);
            filled = filled.replace("{" + field + "}", value == null ? "" : value.toString());
        }
        return filled;
    }

    private static List<PromptTemplate.Message> messages(List<?> raw) {
        List<PromptTemplate.Message> messages = new ArrayList<>(raw.size());
        for (Object m : raw) {
            if (!(m instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("messages: each message must be an object with role and content");
            }
            messages.add(new PromptTemplate.Message(String.valueOf(fields.get("role")),
                    Objects.requireNonNull(fields.get("content"), "message has no 'content'").toString()));
        }
        return messages;
    }

    private static Object first(Map<String, ?> row, String key, String alternative) {
        Object value = row.get(key);
        return value != null ? value : row.get(alternative);
    }
}
