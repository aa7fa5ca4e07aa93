package dev.finetune.lm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import dev.finetune.lm.tokenizer.Tokenizer;
import dev.finetune.lm.tokenizer.HfTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tokenizer of a model folder: its {@code tokenizer.json}, or the byte tokenizer when config.json says so. */
final class Tokenizers {

    private Tokenizers() {}

    static Tokenizer load(Path folder, JsonNode configJson) {
        if (Files.isRegularFile(folder.resolve(HfTokenizer.TOKENIZER_FILE))) {
            try {
                return HfTokenizer.load(folder);
            } catch (IOException e) {
                throw new IllegalArgumentException(folder + ": cannot load the tokenizer: " + e.getMessage(), e);
            }
        }
        if (configJson.path(BaseModel.BYTE_TOKENIZER_KEY).asBoolean(false)) {
            return new ByteTokenizer();
        }
        throw new IllegalArgumentException(folder + " holds no " + HfTokenizer.TOKENIZER_FILE
                + ": a model folder needs its tokenizer");
    }
}
