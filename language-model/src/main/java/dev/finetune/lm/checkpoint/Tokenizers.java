package dev.finetune.lm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.lm.text.ByteTokenizer;
import dev.finetune.lm.text.Tokenizer;
import java.nio.file.Path;

/** Finds the tokenizer of a model folder. */
final class Tokenizers {

    private Tokenizers() {}

    static Tokenizer load(Path folder, JsonNode configJson) {
        if (configJson.path(BaseModel.BYTE_TOKENIZER_KEY).asBoolean(false)) {
            return new ByteTokenizer();
        }
        throw new IllegalArgumentException(folder + ": no tokenizer this engine can read (tokenizer.json support "
                + "comes with the Hugging Face tokenizers library)");
    }
}
