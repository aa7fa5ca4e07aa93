package dev.finetune.evaluator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.training.FineTuneJob;
import dev.finetune.lm.training.CausalLmFineTuner;
import dev.finetune.lm.training.TrainConfig;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.fixtures.DatasetFixtures;
import dev.finetune.testing.fixtures.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluator-service against a real Kafka broker and a real S3 server, scoring a really trained model. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class EvaluatorServiceWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    ObjectStore store;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    /** The rows as the trainer renders them for the dataset's task (the plain formats). */
    private static List<TrainingExample> examples(List<Map<String, Object>> rows, DatasetVersionCreated dataset) {
        ExampleFormat format = new ExampleFormat(dataset.task() == TaskType.CLASSIFICATION, null);
        return rows.stream().map(format::example).toList();
    }

    /** Trains a tiny model on the fixture data, stores it as the trainer would, and announces it. */
    private TrainingCompleted trainAndStore(String jobId, DatasetVersionCreated dataset, Path work,
                                            List<Map<String, Object>> train) {
        return trainAndStore(jobId, "sentiment", dataset, work, train);
    }

    private TrainingCompleted trainAndStore(String jobId, String modelName, DatasetVersionCreated dataset, Path work,
                                            List<Map<String, Object>> train) {
        int sequenceLength = dataset.task() == TaskType.CLASSIFICATION ? 48 : 96;
        var result = new CausalLmFineTuner().fineTune(new FineTuneJob("tiny-random", examples(train, dataset),
                List.of(), new TrainConfig(1, 200, 16, sequenceLength, 3e-3, 20, 0.0, 3L, 50), work.resolve(jobId),
                Map.of()),
                update -> { });
        ArtifactRef manifest = store.putFolder(result.modelDir(), new S3Uri(Buckets.MODELS, jobId + "/model")).stream()
                .filter(r -> r.uri().endsWith("/manifest.json")).findFirst().orElseThrow();
        TrainingRequested request = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), jobId, modelName,
                dataset.dataset(), "tiny-random", null, null, "test", "wiring test");
        return new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), jobId, JobOutcome.SUCCEEDED, null, request,
                manifest, dataset.contentSha256(), Map.of("trainLoss", result.finalTrainLoss()));
    }

    private EvaluationCompleted evaluate(TrainingCompleted training) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAINING_COMPLETED, training.jobId(),
                EventCodec.encode(training))).awaitCompletion();
        return EventCodec.decode(KafkaRecords.awaitRecord(kafka, Topics.EVALUATION_COMPLETED, training.jobId(), WAIT)
                .value(), EvaluationCompleted.class);
    }

    @Test
    void aNewVersionIsComparedWithTheProductionVersionOnItsOwnTestSplit(@TempDir Path work) {
        var train = DatasetFixtures.sentiment(200, 0);
        DatasetVersionCreated dataset = DatasetFixtures.storeClassification(store, new DatasetRef("sentiment", "v-prod"),
                train, DatasetFixtures.sentiment(10, 1000), DatasetFixtures.sentiment(40, 2000));
        TrainingCompleted live = trainAndStore("job-prod-a", "ranked", dataset, work, train);
        ModelPromoted promoted = new ModelPromoted(1, UUID.randomUUID(), Instant.now(), "ranked", 1, live.jobId(),
                "candidate", "production", live.model(), Map.of(), "test-approver", "first version");
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.MODEL_PROMOTED, "ranked",
                EventCodec.encode(promoted))).awaitCompletion();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> store.exists(new S3Uri(Buckets.EVALUATIONS,
                "production/ranked.json")));

        EvaluationCompleted evaluation = evaluate(trainAndStore("job-prod-b", "ranked", dataset, work, train));

        assertThat(evaluation.outcome()).as(evaluation.failureReason()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(evaluation.metrics()).containsKeys("production.accuracy", "production.loss")
                .containsEntry("production.version", 1.0);
    }

    @Test
    void aTrainedModelIsScoredOnTheTestSplitAndTheReportStored(@TempDir Path work) throws IOException {
        var train = DatasetFixtures.sentiment(200, 0);
        DatasetVersionCreated dataset = DatasetFixtures.storeClassification(store, new DatasetRef("reviews", "v-eval"),
                train, DatasetFixtures.sentiment(10, 1000), DatasetFixtures.sentiment(40, 2000),
                "Review: {text}\nIs it positive or negative?");
        store.putBytes(DatasetLayout.settings("reviews"), "{\"baselineShots\": 2}".getBytes(StandardCharsets.UTF_8),
                "application/json");

        EvaluationCompleted evaluation = evaluate(trainAndStore("job-eval-ok", dataset, work, train));

        assertThat(evaluation.outcome()).as(evaluation.failureReason()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(evaluation.testExamples()).isEqualTo(40);
        assertThat(evaluation.metrics()).containsKeys("loss", "perplexity", "accuracy", "macroF1", "macroPrecision", "macroRecall");
        assertThat(evaluation.metrics().get("outsideLabelsRate")).as("free answers that are no label").isBetween(0.0, 1.0);
        assertThat(evaluation.metrics().get("perplexity")).isEqualTo(Math.exp(evaluation.metrics().get("loss")));
        assertThat(evaluation.metrics().get("accuracy")).isGreaterThan(0.5);
        // the random-start base model, scored the same way: the fine-tune's gain is measured, not assumed
        assertThat(evaluation.metrics()).containsKeys("baseline.loss", "baseline.accuracy", "baseline.macroF1");
        assertThat(evaluation.metrics().get("baseline.loss")).isGreaterThan(evaluation.metrics().get("loss"));
        // and with the dataset's own prompt: "prompt engineering first", on the same test split
        assertThat(evaluation.metrics()).containsKeys("prompt.loss", "prompt.accuracy", "prompt.macroF1");
        assertThat(evaluation.metrics().get("prompt.loss")).isNotEqualTo(evaluation.metrics().get("baseline.loss"));
        // and few-shot: two solved training examples (one per label) before the same prompt
        assertThat(evaluation.metrics()).containsKeys("fewshot.loss", "fewshot.accuracy", "fewshot.macroF1");
        assertThat(evaluation.metrics().get("fewshot.loss")).isNotEqualTo(evaluation.metrics().get("prompt.loss"));
        String report = new String(store.readVerified(evaluation.report()), StandardCharsets.UTF_8);
        assertThat(report).contains("\"confusionMatrix\"", "\"samplePredictions\"", "\"jobId\" : \"job-eval-ok\"");
        assertThat(report).contains("\"worstErrors\"", "\"confidence\"", "\"perClass\"", "\"support\"");
        String html = new String(store.readBytes(new dev.finetune.contracts.storage.S3Uri(
                dev.finetune.contracts.storage.Buckets.EVALUATIONS, "job-eval-ok/report.html")), StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>Evaluation of job job-eval-ok</h1>", "<h2>Confusion matrix</h2>",
                "<th>base + prompt</th>", "<th>base + few-shot</th>", "<td>accuracy</td>", "<h2>Per label</h2>", "<h2>Sample predictions</h2>")
                .doesNotContain("NOT_FOUND", "{page.");
        assertThat(dataset.task()).isEqualTo(TaskType.CLASSIFICATION);
    }

    @Test
    void writtenAnswersAreScoredWithBleuRougeAndSignsOfMakingThingsUp(@TempDir Path work) throws IOException {
        var train = DatasetFixtures.ticketSummaries(300, 0);
        DatasetVersionCreated dataset = DatasetFixtures.store(store, new DatasetRef("tickets", "v-gen"),
                TaskType.GENERATION, List.of(), train, DatasetFixtures.ticketSummaries(10, 1000),
                DatasetFixtures.ticketSummaries(24, 2000), "{input}\nSummary:");

        EvaluationCompleted evaluation = evaluate(trainAndStore("job-eval-gen", "tickets", dataset, work, train));

        assertThat(evaluation.outcome()).as(evaluation.failureReason()).isEqualTo(JobOutcome.SUCCEEDED);
        Map<String, Double> m = evaluation.metrics();
        assertThat(m).containsKeys("loss", "bleu", "rouge1", "rouge2", "rougeL", "exactMatch", "unsupportedRate",
                "unsupportedShare", "repetitionRate", "emptyRate", "truncatedRate");
        assertThat(m.get("bleu")).isBetween(0.0, 100.0);
        for (String rate : List.of("rouge1", "rougeL", "exactMatch", "unsupportedRate", "repetitionRate")) {
            assertThat(m.get(rate)).as(rate).isBetween(0.0, 1.0);
        }
        // the same signals for the base model, alone and with the dataset's prompt: the comparison the gate can use
        assertThat(m).containsKeys("baseline.rougeL", "baseline.unsupportedRate", "prompt.rougeL",
                "prompt.unsupportedRate");
        // a random-start model writes bytes: its answers share less with the references than the fine-tune's
        assertThat(m.get("rougeL")).isGreaterThan(m.get("baseline.rougeL"));
        String report = new String(store.readVerified(evaluation.report()), StandardCharsets.UTF_8);
        assertThat(report).contains("\"unsupported\"", "\"samplePredictions\"");
    }

    @Test
    void aTamperedModelFailsWithAReasonNamingTheFile(@TempDir Path work) throws IOException {
        var train = DatasetFixtures.sentiment(20, 0);
        DatasetVersionCreated dataset = DatasetFixtures.storeClassification(store, new DatasetRef("sentiment", "v-tamper"),
                train, DatasetFixtures.sentiment(4, 1000), DatasetFixtures.sentiment(4, 2000));
        TrainingCompleted training = trainAndStore("job-tampered", dataset, work, train);
        String weights = store.list(Buckets.MODELS, "job-tampered/model/").stream()
                .filter(k -> !k.endsWith(".json")).findFirst().orElseThrow();
        store.putBytes(new S3Uri(Buckets.MODELS, weights), "not the weights".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");

        EvaluationCompleted evaluation = evaluate(training);
        assertThat(evaluation.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(evaluation.failureReason()).contains(weights.substring(weights.lastIndexOf('/') + 1));
        assertThat(Files.exists(work)).isTrue();
    }
}
