package dev.finetune.dataset.ingest;

import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.TokenCounter;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.service.models.BaseModels;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token counter a dataset's settings name: {@value DatasetSettings#BYTES}, or a base model as the trainer
 * names it, whose tokenizer files (only those, never the weights) are fetched once and kept.
 */
@ApplicationScoped
public class TokenCounters {

    private final BaseModels baseModels;
    private final Map<String, TokenCounter> loaded = new ConcurrentHashMap<>();

    public TokenCounters(BaseModels baseModels) {
        this.baseModels = baseModels;
    }

    /**
     * @throws IllegalArgumentException when the base model is unknown or has no usable tokenizer, saying why
     */
    public TokenCounter forName(String tokenizer) {
        if (tokenizer.equals(DatasetSettings.BYTES) || tokenizer.equals(BaseModels.TINY_RANDOM)) {
            return TokenCounter.bytes();
        }
        return loaded.computeIfAbsent(tokenizer, name -> new TokenCounter(name,
                BaseModel.fromFolder(Path.of(baseModels.localTokenizerReference(name))).tokenizer()));
    }
}
