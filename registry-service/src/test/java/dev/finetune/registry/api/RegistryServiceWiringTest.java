package dev.finetune.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.ModelRegistered;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.security.TestTokens;
import dev.finetune.testing.fixtures.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** registry-service against a real Kafka broker and a real PostgreSQL. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class RegistryServiceWiringTest {

    /** Every request as an admin: these tests are about what the API does, not who may call it. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.admin());
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private void send(String topic, String key, String value) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, value)).awaitCompletion();
    }

    @Test
    void anInvalidJobRequestGetsEveryProblem() {
        given().contentType("application/json")
                .body("{\"dataset\": {\"name\": \"Bad Name\"}, \"hyperparameters\": {\"batchSize\": 0}}")
                .when().post("/api/jobs")
                .then().statusCode(400)
                .body("problems", hasItems(
                        "baseModel: is required and must not be blank",
                        "dataset.version: is required and must not be blank",
                        "hyperparameters.batchSize: must be between 1 and 4096"));
    }

    @Test
    void aJobTravelsFromRequestToRegisteredModelVersion() {
        String jobId = given().contentType("application/json")
                .body("""
                        {"modelName": "sentiment", "dataset": {"name": "sentiment", "version": "v1"},
                         "baseModel": "tiny-random", "method": "FULL", "hyperparameters": {"epochs": 2},
                         "requestedBy": "alice"}""")
                .when().post("/api/jobs")
                .then().statusCode(202).body("status", equalTo("QUEUED"))
                .extract().path("jobId");

        ConsumerRecord<String, String> published = KafkaRecords.awaitRecord(kafka, Topics.TRAINING_REQUESTS, jobId, WAIT);
        assertThat(published.key()).isEqualTo(jobId);
        TrainingRequested request = EventCodec.decode(published.value(), TrainingRequested.class);
        assertThat(request.hyperparameters().epochs()).isEqualTo(2);
        assertThat(request.requestedBy()).as("the caller's token names who asked, not the body").isEqualTo("test-admin");
        assertThat(request.hyperparameters().batchSize()).isNotNull();

        send(Topics.TRAINING_PROGRESS, jobId, EventCodec.encode(new TrainingProgress(1, UUID.randomUUID(),
                Instant.now(), jobId, 10, 20, 1, 1.5, 1.7, 1e-3, 900)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/jobs/" + jobId).then().body("status", equalTo("RUNNING")).body("step", equalTo(10)));
        send(Topics.TRAINING_PROGRESS, jobId, EventCodec.encode(new TrainingProgress(1, UUID.randomUUID(),
                Instant.now(), jobId, 15, 20, 1, 1.2, null, 8e-4, 1000)));
        send(Topics.TRAINING_PROGRESS, jobId, EventCodec.encode(new TrainingProgress(1, UUID.randomUUID(),
                Instant.now(), jobId, 20, 20, 2, 0.9, 1.9, 5e-4, 1100)));
        // every snapshot is a point of the job's curves, and the summary finds where validation loss was lowest
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/jobs/" + jobId + "/curve").then().statusCode(200)
                        .body("points.step", contains(10, 15, 20))
                        .body("points.validationLoss", contains(1.7f, null, 1.9f))
                        .body("summary.bestValidationLoss", equalTo(1.7f))
                        .body("summary.bestValidationStep", equalTo(10))
                        .body("summary.lastTrainLoss", equalTo(0.9f))
                        .body("summary.meanTokensPerSecond", equalTo(1000.0f)));
        given().when().get("/api/jobs/no-such-job/curve").then().statusCode(404);

        TrainingCompleted completed = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), jobId,
                JobOutcome.SUCCEEDED, null, request,
                new ArtifactRef("s3://models/" + jobId + "/model/manifest.json", SHA, 10), SHA,
                Map.of("trainLoss", 0.9, "validationLoss", 1.1), "0.1.0-SNAPSHOT+1a2b3c4");
        send(Topics.TRAINING_COMPLETED, jobId, EventCodec.encode(completed));
        send(Topics.TRAINING_COMPLETED, jobId, EventCodec.encode(completed));
        send(Topics.EVALUATION_COMPLETED, jobId, EventCodec.encode(new EvaluationCompleted(1, UUID.randomUUID(),
                Instant.now(), jobId, JobOutcome.SUCCEEDED, null, completed.model(), request.dataset(), 40,
                Map.of("accuracy", 0.95, "loss", 0.3),
                new ArtifactRef("s3://evaluations/" + jobId + "/report.json", SHA, 99))));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/models?jobId=" + jobId).then()
                        .body("size()", equalTo(1))
                        .body("[0].evaluationMetrics.accuracy", equalTo(0.95f)));
        given().when().get("/api/models?jobId=" + jobId).then()
                .body("[0].modelName", equalTo("sentiment"))
                .body("[0].version", equalTo(1))
                .body("[0].stage", equalTo("candidate"))
                .body("[0].dataset.version", equalTo("v1"))
                .body("[0].hyperparameters.epochs", equalTo(2))
                .body("[0].trainingMetrics.trainLoss", equalTo(0.9f))
                .body("[0].codeVersion", equalTo("0.1.0-SNAPSHOT+1a2b3c4"))
                .body("[0].trainingCurve.points", equalTo(3))
                .body("[0].trainingCurve.bestValidationStep", equalTo(10))
                .body("[0].model.uri", equalTo("s3://models/" + jobId + "/model/manifest.json"));
        given().when().get("/api/jobs/" + jobId).then().body("status", equalTo("EVALUATED"));

        ModelRegistered registered = EventCodec.decode(KafkaRecords.awaitRecord(kafka, Topics.MODEL_REGISTERED, "sentiment", WAIT).value(),
                ModelRegistered.class);
        assertThat(registered.jobId()).isEqualTo(jobId);
        assertThat(registered.metrics()).containsEntry("accuracy", 0.95);
    }

    @Test
    void listsComeAPageAtATime() {
        for (String jobId : new String[] {"job-page-1", "job-page-2"}) {
            TrainingRequested request = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), jobId, "paged",
                    new DatasetRef("paged", "v1"), "tiny-random", null, null, "dave", "manual");
            send(Topics.TRAINING_REQUESTS, jobId, EventCodec.encode(request));
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() ->
                given().when().get("/api/jobs/job-page-2").then().statusCode(200));
        given().when().get("/api/jobs?limit=1").then().statusCode(200).body("size()", equalTo(1));
        given().when().get("/api/jobs?limit=1000&offset=0").then().statusCode(200);
        given().when().get("/api/jobs?limit=0&offset=-1").then().statusCode(400)
                .body("problems", hasItems("limit: must be between 1 and 1000 but was 0",
                        "offset: must not be negative but was -1"));
        given().when().get("/api/models?limit=5000").then().statusCode(400);
    }

    @Test
    void aFailedTrainingIsRecordedWithItsReason() {
        TrainingRequested request = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), "job-failing",
                "sentiment", new DatasetRef("sentiment", "v404"), "tiny-random", null, null, "bob", "manual");
        send(Topics.TRAINING_REQUESTS, request.jobId(), EventCodec.encode(request));
        send(Topics.TRAINING_COMPLETED, request.jobId(), EventCodec.encode(new TrainingCompleted(1, UUID.randomUUID(),
                Instant.now(), request.jobId(), JobOutcome.FAILED, "dataset sentiment has no version v404", request,
                null, null, Map.of())));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/jobs/job-failing").then()
                        .body("status", equalTo("FAILED"))
                        .body("failureReason", equalTo("training failed: dataset sentiment has no version v404")));
    }

    @Test
    void malformedEventsGoToTheDeadLetterTopicWithTheReason() {
        send(Topics.TRAINING_COMPLETED, "x", "{\"schemaVersion\": 1, \"jobId\": \"UPPER\"}");
        ConsumerRecord<String, String> dead = KafkaRecords.awaitRecord(kafka, Topics.dlq(Topics.TRAINING_COMPLETED), "x", WAIT);
        String reason = new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertThat(reason).startsWith("invalid TrainingCompleted: ").contains("jobId: must be", "outcome: is required");

        // the consumer keeps going after a dead letter
        TrainingRequested next = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), "job-after-dlq",
                "m", new DatasetRef("d", "v1"), "tiny-random", null, null, "carol", "manual");
        send(Topics.TRAINING_COMPLETED, next.jobId(), EventCodec.encode(new TrainingCompleted(1, UUID.randomUUID(),
                Instant.now(), next.jobId(), JobOutcome.FAILED, "boom", next, null, null, Map.of())));
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/api/jobs/job-after-dlq").then().statusCode(200).body("status", equalTo("FAILED")));
    }
}
