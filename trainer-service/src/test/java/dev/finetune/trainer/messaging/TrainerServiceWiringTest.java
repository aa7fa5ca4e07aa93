package dev.finetune.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.LoraSettings;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.training.CheckpointStore;
import dev.finetune.service.build.CodeVersion;
import dev.finetune.testing.RealServersResource;
import dev.finetune.trainer.storage.TrainingStore;
import dev.finetune.testing.fixtures.DatasetFixtures;
import dev.finetune.testing.fixtures.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import ai.djl.ndarray.NDManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trainer-service against a real Kafka broker and a real S3 server, training a real (tiny) model. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class TrainerServiceWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(180);

    @Inject
    ObjectStore store;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    TrainingStore trainingStore;

    private static TrainingRequested request(String jobId, DatasetRef dataset, String baseModel) {
        return new TrainingRequested(1, UUID.randomUUID(), Instant.now(), jobId, "sentiment", dataset, baseModel,
                TrainingMethod.FULL, new Hyperparameters(3, null, 16, 48, 3e-3, 5, 0.0, 11L, 5), "test", "wiring test");
    }

    private void send(TrainingRequested request) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAINING_REQUESTS, request.key(),
                EventCodec.encode(request))).awaitCompletion();
    }

    private TrainingCompleted awaitCompleted(String jobId) {
        return EventCodec.decode(KafkaRecords.awaitRecord(kafka, Topics.TRAINING_COMPLETED, jobId, WAIT).value(),
                TrainingCompleted.class);
    }

    @Test
    void aRequestIsTrainedWithProgressAndTheModelIsStored() throws java.io.IOException {
        DatasetRef dataset = new DatasetRef("sentiment", "v-trainer-test");
        DatasetFixtures.storeClassification(store, dataset, DatasetFixtures.sentiment(160, 0),
                DatasetFixtures.sentiment(20, 1000), DatasetFixtures.sentiment(20, 2000));
        send(request("job-train-ok", dataset, "tiny-random"));

        TrainingCompleted completed = awaitCompleted("job-train-ok");
        assertThat(completed.outcome()).as(completed.failureReason()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(completed.metrics().get("trainLoss")).isLessThan(completed.metrics().get("initialTrainLoss"));
        assertThat(completed.model().uri()).isEqualTo("s3://models/job-train-ok/model/manifest.json");
        // the manifest names the code that trained the model, as the event does
        assertThat(completed.codeVersion()).isEqualTo(CodeVersion.current()).startsWith("0.1.0-SNAPSHOT+");
        assertThat(EventCodec.mapper().readTree(store.readVerified(completed.model())).path("extras")
                .path("codeVersion").asText()).isEqualTo(CodeVersion.current());
        assertThat(store.exists(new S3Uri(Buckets.MODELS, "job-train-ok/completed.json"))).isTrue();

        var progressTask = kafka.consumeStrings().fromTopics(Topics.TRAINING_PROGRESS);
        List<TrainingProgress> progress;
        try {
            progress = org.awaitility.Awaitility.await().atMost(WAIT).until(() -> progressTask.getRecords().stream()
                    .filter(r -> "job-train-ok".equals(r.key()))
                    .map(r -> EventCodec.decode(r.value(), TrainingProgress.class)).toList(), l -> !l.isEmpty());
        } finally {
            progressTask.stop();
        }
        assertThat(progress).extracting(TrainingProgress::step).isSorted().allMatch(s -> s > 0);
        assertThat(progress).allMatch(p -> p.tokensPerSecond() > 0);
    }

    @Test
    void aLoraInstructionJobFromANamedBaseModelInObjectStorageStoresItsPeftAdapter(@TempDir Path temp) {
        // room for the chat template around each review (one token a byte): the pre-flight refuses less
        BaseModel random = BaseModel.random(TransformerConfig.llama(259, 192, 1, 32, 4, 2, 64));
        DjlRuntime.engine().setRandomSeed(5);
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            ModelFolder.save(random.instantiate(null, manager), random.configJson(), temp.resolve("base"));
        }
        store.putFolder(temp.resolve("base"), new S3Uri(Buckets.MODELS, "base/tiny-llama-test"));
        DatasetRef dataset = new DatasetRef("sentiment", "v-trainer-lora");
        DatasetFixtures.storeClassification(store, dataset, DatasetFixtures.sentiment(48, 0),
                DatasetFixtures.sentiment(8, 1000), DatasetFixtures.sentiment(8, 2000));
        Hyperparameters h = new Hyperparameters(1, 12, 8, 160, 1e-2, 2, 0.0, 3L, 4, 2, "linear", null, 5,
                new LoraSettings(4, 8.0, 0.0, List.of("q_proj", "v_proj")), "chatml");
        send(new TrainingRequested(1, UUID.randomUUID(), Instant.now(), "job-lora", "sentiment", dataset,
                "tiny-llama-test", TrainingMethod.LORA, h, "test", "wiring test"));

        TrainingCompleted completed = awaitCompleted("job-lora");

        assertThat(completed.outcome()).as(completed.failureReason()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(completed.metrics()).containsEntry("steps", 12.0);
        String adapterConfig = new String(store.readBytes(new S3Uri(Buckets.MODELS,
                "job-lora/model/adapter/adapter_config.json")), StandardCharsets.UTF_8);
        assertThat(adapterConfig).contains("\"r\" : 4", "\"q_proj\"", "\"v_proj\"");
        assertThat(store.exists(new S3Uri(Buckets.MODELS, "job-lora/model/model.safetensors"))).isTrue();
        assertThat(store.list(Buckets.MODELS, "job-lora/checkpoints/")).isEmpty(); // deleted once the job is done
    }

    @Test
    void checkpointsInObjectStorageResumeFromTheNewestCompleteOne(@TempDir Path temp) throws IOException {
        CheckpointStore checkpoints = trainingStore.checkpoints("job-ckpt", temp.resolve("work"));
        assertThat(checkpoints.latest()).isEmpty();

        Files.createDirectories(temp.resolve("a"));
        Files.writeString(temp.resolve("a/state.txt"), "after 4");
        checkpoints.save(4, temp.resolve("a"));
        // a replica that died while uploading step 9 left files but no COMPLETE marker
        store.putBytes(new S3Uri(Buckets.MODELS, "job-ckpt/checkpoints/step-00000009/state.txt"),
                "half".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertThat(checkpoints.latest()).get()
                .satisfies(folder -> assertThat(folder.resolve("state.txt")).hasContent("after 4"));

        Files.createDirectories(temp.resolve("b"));
        Files.writeString(temp.resolve("b/state.txt"), "after 8");
        checkpoints.save(8, temp.resolve("b"));
        assertThat(checkpoints.latest()).get()
                .satisfies(folder -> assertThat(folder.resolve("state.txt")).hasContent("after 8"));
        assertThat(store.list(Buckets.MODELS, "job-ckpt/checkpoints/step-00000004/")).isEmpty(); // superseded

        trainingStore.deleteCheckpoints("job-ckpt");
        assertThat(store.list(Buckets.MODELS, "job-ckpt/checkpoints/")).isEmpty();
    }

    @Test
    void aRequestForAMissingDatasetFailsWithTheReason() {
        send(request("job-no-data", new DatasetRef("nothing", "v0"), "tiny-random"));
        TrainingCompleted completed = awaitCompleted("job-no-data");
        assertThat(completed.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(completed.failureReason()).isEqualTo("dataset nothing has no version v0");
    }

    @Test
    void dataThatWouldMisleadTheRunFailsThePreflightBeforeAnyTraining() {
        DatasetRef dataset = new DatasetRef("sentiment", "v-preflight");
        var train = DatasetFixtures.sentiment(40, 0);
        // a test example that is also a training example: its score would flatter the model
        DatasetFixtures.storeClassification(store, dataset, train, DatasetFixtures.sentiment(4, 1000),
                java.util.List.of(train.get(6), DatasetFixtures.sentiment(1, 2000).get(0)));
        send(request("job-preflight", dataset, "tiny-random"));

        TrainingCompleted completed = awaitCompleted("job-preflight");
        assertThat(completed.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(completed.failureReason()).startsWith("pre-flight check failed, no training time spent: ")
                .contains("1 examples shared between splits: test line 1 is train line 7");
    }

    @Test
    void anUnknownBaseModelFailsWithTheReason() {
        DatasetRef dataset = new DatasetRef("sentiment", "v-unknown-model");
        DatasetFixtures.storeClassification(store, dataset, DatasetFixtures.sentiment(20, 0),
                DatasetFixtures.sentiment(4, 100), DatasetFixtures.sentiment(4, 200));
        send(request("job-bad-model", dataset, "no-such-model"));
        TrainingCompleted completed = awaitCompleted("job-bad-model");
        assertThat(completed.outcome()).isEqualTo(JobOutcome.FAILED);
        assertThat(completed.failureReason()).startsWith("baseModel: ").contains("no-such-model");
    }

    @Test
    void aMalformedRequestGoesToTheDeadLetterTopic() {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAINING_REQUESTS, "junk", "[1, 2, 3]"))
                .awaitCompletion();
        ConsumerRecord<String, String> dead = KafkaRecords.awaitRecord(kafka, Topics.dlq(Topics.TRAINING_REQUESTS),
                "junk", WAIT);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .startsWith("malformed TrainingRequested");
    }
}
