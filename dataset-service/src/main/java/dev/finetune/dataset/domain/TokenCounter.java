package dev.finetune.dataset.domain;

import dev.finetune.contracts.events.TaskType;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import dev.finetune.lm.tokenizer.Tokenizer;

/**
 * Counts an example's tokens as the trainer sees it: rendered by the engine's {@link ExampleFormat} (the plain
 * formats, without a chat template) and tokenized with the start and end tokens included.
 *
 * @param name what the count is in, for messages: {@code bytes} or the base model's name
 */
public record TokenCounter(String name, Tokenizer tokenizer) {

    /** UTF-8 bytes plus the end token: the tokenizer of the {@code tiny-random} model. */
    public static TokenCounter bytes() {
        return new TokenCounter(DatasetSettings.BYTES, new ByteTokenizer());
    }

    public int count(Example example) {
        ExampleFormat format = new ExampleFormat(example.task() == TaskType.CLASSIFICATION, null);
        return tokenizer.tokenize(format.example(example.row())).tokens().length;
    }
}
