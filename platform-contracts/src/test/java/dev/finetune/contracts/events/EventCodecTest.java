package dev.finetune.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = EventCodecTest.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as("test resource events/" + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static TrainingRequested request() {
        return new TrainingRequested(1, UUID.randomUUID(), Instant.parse("2026-11-25T01:02:03Z"), "job-1", "sentiment",
                new DatasetRef("sentiment", "v1"), "tiny-random", TrainingMethod.LORA,
                new Hyperparameters(2, null, 8, 64, 1e-3, 5, 0.0, 7L, 5), "alice", "manual");
    }

    @Test
    void aCommandThatNamesNobodyIsInvalid() {
        TrainingRequested r = request();
        TrainingRequested anonymous = new TrainingRequested(r.schemaVersion(), r.eventId(), r.occurredAt(), r.jobId(),
                r.modelName(), r.dataset(), r.baseModel(), r.method(), r.hyperparameters(), " ", r.reason());

        assertThat(r.problems()).isEmpty();
        assertThat(anonymous.problems()).containsExactly("requestedBy: is required and must not be blank");
    }

    @Test
    void roundTripsAnEvent() {
        TrainingRequested original = request();
        String json = EventCodec.encode(original);
        assertThat(json).contains("\"occurredAt\":\"2026-11-25T01:02:03Z\"").doesNotContain("maxSteps");
        assertThat(EventCodec.decode(json, TrainingRequested.class)).isEqualTo(original);
    }

    @Test
    void oldSamplesKeepDeserializingAndUnknownFieldsAreIgnored() throws IOException {
        TrainingRequested request = EventCodec.decode(resource("training-requests-v1.json"), TrainingRequested.class);
        assertThat(request.jobId()).isEqualTo("job-0001");
        assertThat(request.key()).isEqualTo("job-0001");
        assertThat(request.hyperparameters().epochs()).isEqualTo(2);
        assertThat(request.withDefaults().hyperparameters().batchSize()).isEqualTo(Hyperparameters.DEFAULTS.batchSize());

        TrainingCompleted completed = EventCodec.decode(resource("training-completed-v1.json"), TrainingCompleted.class);
        assertThat(completed.outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(completed.model().uri()).isEqualTo("s3://models/job-0001/model/manifest.json");
        assertThat(completed.metrics()).containsEntry("trainLoss", 0.42);
    }

    /** Every topic's record type keeps reading its version-1 sample, so old events in a topic stay readable. */
    @Test
    void everyTopicHasASampleThatStillDeserializes() throws IOException {
        for (Topics.Topic topic : Topics.ALL) {
            PlatformEvent event = EventCodec.decode(resource(topic.name() + "-v1.json"), topic.recordType());
            assertThat(event.schemaVersion()).as(topic.name()).isEqualTo(1);
            assertThat(event.key()).as(topic.name()).isNotBlank();
            assertThat(EventCodec.decode(EventCodec.encode(event), topic.recordType())).as(topic.name())
                    .isEqualTo(event);
        }
    }

    @Test
    void malformedJsonIsRefusedWithTheReason() {
        assertThatThrownBy(() -> EventCodec.decode("{not json", TrainingRequested.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageStartingWith("malformed TrainingRequested: ");
        assertThatThrownBy(() -> EventCodec.decode("", TrainingRequested.class))
                .hasMessage("malformed TrainingRequested: empty record value");
        assertThatThrownBy(() -> EventCodec.decode("null", TrainingRequested.class))
                .hasMessage("malformed TrainingRequested: record value is JSON null");
    }

    @Test
    void anInvalidEventListsEveryProblem() {
        String json = """
                {"schemaVersion": 9, "jobId": "Bad Id", "dataset": {"name": "ok"},
                 "hyperparameters": {"epochs": 0, "learningRate": 2.0}}
                """;
        assertThatThrownBy(() -> EventCodec.decode(json, TrainingRequested.class))
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).problems()).containsExactly(
                        "schemaVersion: must be between 1 and 1 but was 9",
                        "eventId: is required",
                        "occurredAt: is required",
                        "jobId: " + Names.RULE + " but was 'Bad Id'",
                        "modelName: is required and must not be blank",
                        "baseModel: is required and must not be blank",
                        "requestedBy: is required and must not be blank",
                        "dataset.version: is required and must not be blank",
                        "hyperparameters.epochs: must be between 1 and 1000",
                        "hyperparameters.learningRate: must be greater than 0 and less than 1"));
    }

    @Test
    void anInvalidEventIsNotEncoded() {
        TrainingProgress progress = new TrainingProgress(1, UUID.randomUUID(), Instant.now(), "job-1", 5, 3, 1,
                Double.NaN, null, 1e-3, 10);
        assertThatThrownBy(() -> EventCodec.encode(progress))
                .hasMessageContaining("totalSteps: must be at least step")
                .hasMessageContaining("trainLoss: must be a finite number");
    }

    @Test
    void aSuccessNeedsAModelAndAFailureNeedsAReason() {
        TrainingCompleted failedWithoutReason = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), "job-1",
                JobOutcome.FAILED, " ", request(), null, null, Map.of());
        assertThat(failedWithoutReason.problems()).containsExactly("failureReason: is required and must not be blank");
        TrainingCompleted succeededWithBadRef = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), "job-1",
                JobOutcome.SUCCEEDED, null, request(), new ArtifactRef("http://x/y", "abc", -1), null, Map.of());
        assertThat(succeededWithBadRef.problems()).containsExactly(
                "model.uri: must look like s3://bucket/key but was http://x/y",
                "model.sha256: must be 64 lower-case hex digits",
                "model.sizeBytes: must not be negative");
    }
}
