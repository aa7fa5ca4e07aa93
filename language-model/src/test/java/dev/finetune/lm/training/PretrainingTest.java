package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.scoring.LanguageModel;
import dev.finetune.lm.tokenizer.BpeTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainingTest {

    @TempDir
    Path temp;

    @Test
    void aCorpusBecomesABaseModelFolderThatLearnedItsText() {
        StringBuilder corpus = new StringBuilder();
        String[] animals = {"cat", "dog", "fox", "owl"};
        String[] places = {"mat", "log", "hill", "barn"};
        for (int i = 0; i < 400; i++) {
            corpus.append("the ").append(animals[i % 4]).append(" sat on the ").append(places[(i / 4) % 4]).append(".\n");
        }
        Pretraining pretraining = new Pretraining(TransformerConfig.llama(1, 64, 2, 32, 4, 2, 64), 300,
                BpeTrainer.Style.LLAMA_BYTE_FALLBACK, new TrainConfig(1, 60, 8, 64, 1e-2, 5, 0.0, 1L, 20));
        List<ProgressUpdate> updates = new ArrayList<>();

        TrainingResult result = pretraining.run(corpus.toString(), temp.resolve("work"), temp.resolve("base"),
                Map.of("corpus", "animals"), updates::add);

        assertThat(updates.get(updates.size() - 1).validationLoss()).isLessThan(updates.get(0).validationLoss());
        assertThat(result.finalValidationLoss()).isLessThan(1.0);
        try (LanguageModel base = LanguageModel.load(result.modelDir())) {
            assertThat(base.config().vocabSize()).isLessThanOrEqualTo(300);
            int[] prompt = base.tokenizer().encodeWithTemplate("the cat sat on");
            String continuation = base.tokenizer().decode(base.generate(List.of(prompt), SamplingConfig.greedy(4)).get(0), true);
            assertThat(continuation.strip()).matches("the (mat|log|hill|barn)\\..*"); // Llama decoding drops the leading space
        }
        assertThat(result.modelDir().resolve("tokenizer.json")).exists();
    }
}
