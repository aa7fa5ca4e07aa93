package dev.finetune.lm.text;

import java.util.List;
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
    HUMAN_ASSISTANT("###Human: ", " ###Assistant:", " ", "", " "),
    /** ChatML (Qwen, many others): {@code <|im_start|>user\n...<|im_end|>\n<|im_start|>assistant\n...<|im_end|>}. */
    CHATML("<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n", "", "<|im_end|>", "\n"),
    /** Llama 2 chat: {@code [INST] ... [/INST] ...}. */
    LLAMA2("[INST] ", " [/INST]", " ", "", " "),
    /** Llama 3 instruct: header blocks closed by {@code <|eot_id|>}. */
    LLAMA3("<|start_header_id|>user<|end_header_id|>\n\n",
            "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "", "<|eot_id|>", ""),
    /** Zephyr: {@code <|user|>\n...</s>\n<|assistant|>\n...}. */
    ZEPHYR("<|user|>\n", "</s>\n<|assistant|>\n", "", "</s>", "\n");

    private final String userPrefix;
    private final String assistantPrefix;
    private final String responsePrefix;
    private final String responseSuffix;
    /** Between an assistant turn and the next user turn of a conversation. */
    private final String turnSeparator;

    PromptTemplate(String userPrefix, String assistantPrefix, String responsePrefix, String responseSuffix,
                   String turnSeparator) {
        this.userPrefix = userPrefix;
        this.assistantPrefix = assistantPrefix;
        this.responsePrefix = responsePrefix;
        this.responseSuffix = responseSuffix;
        this.turnSeparator = turnSeparator;
    }

    /** One message of a conversation: {@code role} is {@code system}, {@code user} or {@code assistant}. */
    public record Message(String role, String content) {

        public static final List<String> ROLES = List.of("system", "user", "assistant");

        public Message {
            Objects.requireNonNull(content, "content");
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("role: must be one of " + ROLES + " but was '" + role + "'");
            }
        }
    }

    /**
     * The example of a conversation that ends with an assistant message: that last answer is learned, everything
     * before it is the prompt. Earlier turns are laid out as this template lays out one exchange, one after the
     * other; system messages go before the next user message, on lines of their own.
     *
     * @throws IllegalArgumentException when the conversation does not end with an assistant message or has no user
     *                                  message before it
     */
    public TrainingExample conversation(List<Message> messages) {
        if (messages.isEmpty() || !messages.get(messages.size() - 1).role().equals("assistant")) {
            throw new IllegalArgumentException("messages: must end with an assistant message");
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder pending = new StringBuilder();  // system and user text waiting for the assistant's turn
        boolean pendingUser = false;
        for (Message m : messages.subList(0, messages.size() - 1)) {
            switch (m.role()) {
                case "system", "user" -> {
                    pendingUser |= m.role().equals("user");
                    pending.append(pending.isEmpty() ? "" : "\n\n").append(m.content());
                }
                default -> {
                    if (!pendingUser) {
                        throw new IllegalArgumentException(
                                "messages: every assistant message must follow a user message");
                    }
                    prompt.append(userPrefix).append(pending).append(assistantPrefix)
                            .append(responsePrefix).append(m.content()).append(responseSuffix).append(turnSeparator);
                    pending.setLength(0);
                    pendingUser = false;
                }
            }
        }
        if (!pendingUser) {
            throw new IllegalArgumentException("messages: every assistant message must follow a user message");
        }
        prompt.append(userPrefix).append(pending).append(assistantPrefix);
        String answer = messages.get(messages.size() - 1).content();
        return new TrainingExample(prompt.toString(), responsePrefix + answer + responseSuffix);
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

    /**
     * The layout a job trains in: the one it names ({@code chatml}, {@code human-assistant}...), with any method; else
     * for an instruction job the base model's chat template style; else none (null: the plain formats).
     */
    public static PromptTemplate forJob(String named, boolean instructionMethod, String baseChatTemplate) {
        if (named != null) {
            return valueOf(named.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        return instructionMethod ? detect(baseChatTemplate) : null;
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
