package dev.finetune.lm.text;

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
 * {@code input}, are instruction examples; rows with {@code text} alone are plain language modelling.
 *
 * @param classification whether rows hold {@code text} and {@code label}
 * @param template       the instruction layout, or null for the plain formats
 */
public record ExampleFormat(boolean classification, PromptTemplate template) {

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
        Object instruction = first(row, "instruction", "prompt");
        Object response = first(row, "response", "output");
        if (instruction != null && response != null) {
            PromptTemplate layout = template == null ? PromptTemplate.HUMAN_ASSISTANT : template;
            Object input = row.get("input");
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
        return template == null ? Examples.classificationPrompt(text) : template.prompt(CLASSIFY, text);
    }

    /** The completion that names {@code label}, scored against the other labels' completions. */
    public String labelCompletion(String label) {
        return template == null
                ? Examples.classificationCompletion(label)
                : template.example(CLASSIFY, null, label).completion();
    }

    private static Object first(Map<String, ?> row, String key, String alternative) {
        Object value = row.get(key);
        return value != null ? value : row.get(alternative);
    }
}
