package dev.finetune.lm.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.lm.text.Examples;
import dev.finetune.lm.training.SavedModels;
import dev.finetune.lm.training.FineTuneJob;
import dev.finetune.lm.training.CausalLmFineTuner;
import dev.finetune.lm.training.ProgressUpdate;
import dev.finetune.lm.training.TrainConfig;
import dev.finetune.lm.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the tiny GPT once on a synthetic sentiment task, then checks that it learned, that what was saved loads back
 * to the same model, and that tampering with a saved file is caught.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FineTuneAndScoreTest {

    private static final int STEPS = 200;
    private static final int PROGRESS_EVERY = 25;

    @TempDir
    static Path temp;

    private List<SentimentData.Labelled> train;
    private List<SentimentData.Labelled> validation;
    private List<SentimentData.Labelled> heldOut;
    private final List<ProgressUpdate> updates = new ArrayList<>();
    private TrainingResult result;

    @BeforeAll
    void fineTune() {
        train = SentimentData.sample(200, 1, Set.of());
        validation = SentimentData.sample(40, 2, SentimentData.texts(train));
        Set<String> seen = new HashSet<>(SentimentData.texts(train));
        seen.addAll(SentimentData.texts(validation));
        heldOut = SentimentData.sample(40, 3, seen);

        TrainConfig config = new TrainConfig(1, STEPS, 16, 64, 3e-3, 30, 0.01, 42L, PROGRESS_EVERY);
        FineTuneJob job = new FineTuneJob("tiny-random", SentimentData.examples(train), SentimentData.examples(validation),
                config, temp.resolve("model"), Map.of("datasetVersion", "sentiment-v1", "datasetSha256", "abc123"));
        result = new CausalLmFineTuner().fineTune(job, updates::add);
        updates.forEach(update -> System.out.printf("progress: %s%n", update));
        System.out.printf("fine-tune: %s%n", result);
    }

    @Test
    void trainingLossFallsClearly() {
        assertThat(result.steps()).isEqualTo(STEPS);
        assertThat(result.initialTrainLoss()).isGreaterThan(4.0); // about ln(259) = 5.56 at random init
        assertThat(result.finalTrainLoss()).isLessThan(result.initialTrainLoss() * 0.5);
    }

    @Test
    void validationLossFalls() {
        double first = updates.get(0).validationLoss();
        assertThat(result.finalValidationLoss()).isLessThan(first * 0.7);
        assertThat(updates.get(updates.size() - 1).validationLoss()).isEqualTo(result.finalValidationLoss());
    }

    @Test
    void progressIsReportedEveryPeriodWithIncreasingSteps() {
        assertThat(updates).extracting(ProgressUpdate::step)
                .containsExactly(25, 50, 75, 100, 125, 150, 175, 200);
        assertThat(updates).allSatisfy(update -> {
            assertThat(update.totalSteps()).isEqualTo(STEPS);
            assertThat(update.tokensPerSecond()).isPositive();
            assertThat(update.learningRate()).isPositive();
        });
        assertThat(updates.get(updates.size() - 1).learningRate()).isCloseTo(3e-4, within(1e-9));
    }

    @Test
    void theModelChoosesTheRightLabelForUnseenSentences() {
        try (LanguageModel model = LanguageModel.load(result.modelDir())) {
            List<String> labels = List.of(
                    Examples.classificationCompletion(SentimentData.POSITIVE),
                    Examples.classificationCompletion(SentimentData.NEGATIVE));
            int correct = 0;
            for (SentimentData.Labelled example : heldOut) {
                int chosen = model.choose(Examples.classificationPrompt(example.text()), labels);
                correct += labels.get(chosen).equals(Examples.classificationCompletion(example.label())) ? 1 : 0;
            }
            double accuracy = correct / (double) heldOut.size();
            System.out.printf("held-out accuracy: %.3f%n", accuracy);
            assertThat(accuracy).isGreaterThanOrEqualTo(0.8); // chance is 0.5
        }
    }

    @Test
    void theLoadedModelScoresAsTheTrainedOneDid() {
        try (LanguageModel model = LanguageModel.load(result.modelDir())) {
            double loss = model.meanLoss(SentimentData.examples(validation), 7); // another batching, same figure
            assertThat(model.config()).isEqualTo(dev.finetune.lm.checkpoint.BaseModel.tinyConfig());
            assertThat(loss).isCloseTo(result.finalValidationLoss(), within(1e-4));
            assertThat(model.perplexity(SentimentData.examples(validation), 16)).isCloseTo(Math.exp(loss), within(1e-3));
        }
    }

    @Test
    void theManifestRecordsProvenanceAndEveryFile() throws IOException {
        JsonNode manifest = SavedModels.readManifest(result.modelDir());

        assertThat(manifest.path("extras").path("datasetVersion").asText()).isEqualTo("sentiment-v1");
        assertThat(manifest.path("seed").asLong()).isEqualTo(42L);
        assertThat(manifest.path("versions").path("pytorch").asText()).isEqualTo("2.7.1");
        assertThat(manifest.path("versions").path("djl").asText()).isEqualTo("0.36.0");
        assertThat(manifest.path("trainConfig").path("learningRate").asDouble()).isEqualTo(3e-3);
        List<String> paths = new ArrayList<>();
        for (JsonNode file : manifest.path("files")) {
            paths.add(file.path("path").asText());
            assertThat(file.path("size").asLong()).isEqualTo(Files.size(result.modelDir().resolve(file.path("path").asText())));
        }
        assertThat(paths).containsExactlyInAnyOrder("config.json", "model.safetensors");
        assertThat(manifest.path("method").asText()).isEqualTo("FULL");
        assertThat(Files.readString(result.modelDir().resolve("config.json")))
                .contains("\"model_type\" : \"gpt2\"", "\"n_embd\" : 64");
    }

    @Test
    void aTamperedWeightsFileIsRefusedByName() throws IOException {
        Path copy = temp.resolve("tampered");
        Files.createDirectories(copy);
        try (var files = Files.list(result.modelDir())) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        Path weights = copy.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 0x01; // one bit of the last weight
        Files.write(weights, bytes);

        assertThatThrownBy(() -> LanguageModel.load(copy))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model.safetensors")
                .hasMessageContaining("sha256");
    }
}
