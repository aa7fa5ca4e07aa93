package dev.finetune.lm.text;

import java.util.Objects;

/**
 * How an instruction and its response are laid out as text for instruction fine-tuning; the model is trained on the
 * response only.
 *
 * <p>{@link #HUMAN_ASSISTANT} ({@code ###Human: ... ###Assistant: ...}) is the default for base models without a chat
 * format. A checkpoint whose {@code tokenizer_config.json} carries a chat template is trained in that template's
 * style: {@link #detect(String)} recognises the common ones by their markers (the Jinja source itself is not run).
 */
public enum PromptTemplate {

    /** {@code ###Human: <instruction> ###Assistant: <response>}. */
    HUMAN_ASSISTANT("###Human: ", " ###Assistant:", " "),
    /** ChatML (Qwen, many others): {@code <|im_start|>user\n...<|im_end|>\n<|im_start|>assistant\n...<|im_end|>}. */
    CHATML("<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n", "", "<|im_end|>"),
    /** Llama 2 chat: {@code [INST] ... [/INST] ...}. */
    LLAMA2("[INST] ", " [/INST]", " "),
    /** Llama 3 instruct: header blocks closed by {@code <|eot_id|>}. */
    LLAMA3("<|start_header_id|>user<|end_header_id|>\n\n",
            "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "", "<|eot_id|>"),
    /** Zephyr: {@code <|user|>\n...</s>\n<|assistant|>\n...}. */
    ZEPHYR("<|user|>\n", "</s>\n<|assistant|>\n", "", "</s>");

    private final String userPrefix;
    private final String assistantPrefix;
    private final String responsePrefix;
    private final String responseSuffix;

    PromptTemplate(String userPrefix, String assistantPrefix, String responsePrefix) {
        this(userPrefix, assistantPrefix, responsePrefix, "");
    }

    PromptTemplate(String userPrefix, String assistantPrefix, String responsePrefix, String responseSuffix) {
        this.userPrefix = userPrefix;
        this.assistantPrefix = assistantPrefix;
        this.responsePrefix = responsePrefix;
        this.responseSuffix = responseSuffix;
    }

    /**
     * The example of {@code instruction} (with optional {@code input}, e.g. the text to summarise, on the lines after
     * it) answered by {@code response}: the prompt ends where the assistant starts, so only the response (and the end
     * of turn) is learned.
     */
    public TrainingExample example(String instruction, String input, String response) {
        Objects.requireNonNull(response, "response");
        return new TrainingExample(prompt(instruction, input), responsePrefix + response + responseSuffix);
    }

    /** The prompt of {@link #example}, for generation: the model continues with the response. */
    public String prompt(String instruction, String input) {
        Objects.requireNonNull(instruction, "instruction");
        String body = input == null || input.isBlank() ? instruction : instruction + "\n\n" + input;
        return userPrefix + body + assistantPrefix;
    }

    /** The template a chat template's source is written for, or {@link #HUMAN_ASSISTANT} when none is recognised. */
    public static PromptTemplate detect(String chatTemplate) {
        if (chatTemplate == null || chatTemplate.isBlank()) {
            return HUMAN_ASSISTANT;
        }
        if (chatTemplate.contains("<|im_start|>")) {
            return CHATML;
        }
        if (chatTemplate.contains("<|start_header_id|>")) {
            return LLAMA3;
        }
        if (chatTemplate.contains("[INST]")) {
            return LLAMA2;
        }
        if (chatTemplate.contains("<|user|>") && chatTemplate.contains("<|assistant|>")) {
            return ZEPHYR;
        }
        return HUMAN_ASSISTANT;
    }
}
