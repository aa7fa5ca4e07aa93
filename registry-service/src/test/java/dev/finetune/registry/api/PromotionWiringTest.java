package dev.finetune.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.security.Roles;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.security.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The promotion gate, manual promotion, rollback and the audit trail, against a real Kafka and PostgreSQL. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class PromotionWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String MODEL = "gated";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static RequestSpecification as(String role) {
        return RestAssured.given().auth().oauth2(TestTokens.token(role)).contentType("application/json");
    }

    /** A job trained and evaluated with these metrics, as the trainer and evaluator announce it; its model id. */
    private long evaluated(String jobId, Map<String, Double> metrics) {
        TrainingRequested request = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), jobId, MODEL,
                new DatasetRef("gated", "v1"), "tiny-random", null, null, "carol", "manual");
        TrainingCompleted completed = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), jobId,
                JobOutcome.SUCCEEDED, null, request,
                new ArtifactRef("s3://models/" + jobId + "/model/manifest.json", SHA, 10), SHA, Map.of("trainLoss", 0.1));
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.TRAINING_REQUESTS, jobId, EventCodec.encode(request)),
                new ProducerRecord<>(Topics.TRAINING_COMPLETED, jobId, EventCodec.encode(completed)),
                new ProducerRecord<>(Topics.EVALUATION_COMPLETED, jobId, EventCodec.encode(new EvaluationCompleted(1,
                        UUID.randomUUID(), Instant.now(), jobId, JobOutcome.SUCCEEDED, null, completed.model(),
                        request.dataset(), 40, metrics,
                        new ArtifactRef("s3://evaluations/" + jobId + "/report.json", SHA, 99))))).awaitCompletion();
        Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/models?jobId=" + jobId)
                .then().body("[0].evaluationMetrics.accuracy", equalTo(metrics.get("accuracy").floatValue())));
        return ((Number) as(Roles.VIEWER).get("/api/models?jobId=" + jobId).then().extract().path("[0].id"))
                .longValue();
    }

    @Test
    void theGatePromotesWhatBeatsBaselineAndProductionAndApproversMoveTheRest() {
        var promotions = kafka.consumeStrings().fromTopics(Topics.MODEL_PROMOTED);
        try {
            String policy = """
                    {"metric": "accuracy", "minGainOverBaseline": 0.1, "minGainOverProduction": 0.0,
                     "targetStage": "production"}""";
            as(Roles.APPROVER).body(policy).put("/api/policies/" + MODEL).then().statusCode(403);
            as(Roles.ADMIN).body("{\"metric\": \"accuracy.x\", \"targetStage\": \"live\"}")
                    .put("/api/policies/" + MODEL).then().statusCode(400)
                    .body("problems", contains(
                            "metric: must name an evaluation metric such as accuracy, macroF1 or loss",
                            "targetStage: must be staging or production but was 'live'",
                            "minGainOverBaseline: is required (0 means: at least as good)",
                            "minGainOverProduction: is required (0 means: at least as good)"));
            as(Roles.ADMIN).body(policy).put("/api/policies/" + MODEL).then().statusCode(200)
                    .body("higherIsBetter", equalTo(true)).body("updatedBy", equalTo("test-admin"));

            // version 1 beats the base model (and the prompt-only baseline) by 0.3: production
            long first = evaluated("gated-1", Map.of("accuracy", 0.9, "baseline.accuracy", 0.5, "prompt.accuracy", 0.6));
            Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/production/" + MODEL)
                    .then().statusCode(200).body("id", equalTo((int) first))
                    .body("gatePassed", equalTo(true))
                    .body("gateDecision", equalTo("passed: accuracy 0.9000: +0.3000 over the base model with the dataset's prompt (0.6000), "
                            + "no production version to compare with")));

            // version 2 beats the baseline but not production: it stays a candidate, and says why
            long second = evaluated("gated-2", Map.of("accuracy", 0.85, "baseline.accuracy", 0.5));
            Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/models/" + second)
                    .then().body("gatePassed", equalTo(false)).body("stage", equalTo("candidate"))
                    .body("gateDecision", equalTo("failed: accuracy 0.8500: +0.3500 over the base model (0.5000), "
                            + "-0.0500 over production version 1 (0.9000, as evaluated), less than the 0.0000 required")));

            // side by side: same lineage but the job, metrics with the change from version 1 to version 2
            as(Roles.VIEWER).get("/api/models/compare?a=" + first + "&b=" + second).then().statusCode(200)
                    .body("a.version", equalTo(1)).body("b.version", equalTo(2))
                    .body("lineage.find { it.field == 'version' }.differs", equalTo(true))
                    .body("lineage.find { it.field == 'datasetVersion' }.differs", equalTo(false))
                    .body("lineage.find { it.field == 'hyperparameters.epochs' }.a", equalTo(3))
                    .body("evaluationMetrics.find { it.metric == 'accuracy' }.change", equalTo(-0.05f))
                    .body("evaluationMetrics.find { it.metric == 'prompt.accuracy' }.b", nullValue());
            as(Roles.VIEWER).get("/api/models/compare?a=" + first).then().statusCode(400)
                    .body("problems", contains("b: is required: the id of the second model version"));
            as(Roles.VIEWER).get("/api/models/compare?a=" + first + "&b=999999").then().statusCode(404);

            // an approver promotes it anyway, with a reason; version 1 is archived
            as(Roles.VIEWER).body("{\"stage\": \"production\", \"reason\": \"x\"}")
                    .post("/api/models/" + second + "/stage").then().statusCode(403);
            as(Roles.APPROVER).body("{\"stage\": \"production\"}").post("/api/models/" + second + "/stage")
                    .then().statusCode(400).body("problems", contains("reason: is required: say why the version moves"));
            as(Roles.APPROVER).body("{\"stage\": \"live\", \"reason\": \"x\"}").post("/api/models/" + second + "/stage")
                    .then().statusCode(400);
            as(Roles.APPROVER).body("{\"stage\": \"production\", \"reason\": \"better on the new slice\"}")
                    .post("/api/models/" + second + "/stage").then().statusCode(200).body("stage", equalTo("production"));
            as(Roles.VIEWER).get("/api/models/" + first).then().body("stage", equalTo("archived"));

            // and rolls it back: version 1 is production again
            as(Roles.APPROVER).body("{\"reason\": \"complaints\"}").post("/api/production/" + MODEL + "/rollback")
                    .then().statusCode(200).body("id", equalTo((int) first)).body("stage", equalTo("production"));
            as(Roles.VIEWER).get("/api/models/" + second).then().body("stage", equalTo("archived"));

            as(Roles.VIEWER).get("/api/audit?modelName=" + MODEL).then().statusCode(200)
                    .body("toStage", contains("production", "archived", "production", "archived", "production"))
                    .body("version", contains(1, 2, 2, 1, 1))
                    .body("changedBy", contains("test-approver", "test-approver", "test-approver", "test-approver",
                            "promotion-gate"))
                    .body("[0].reason", equalTo("rollback: complaints"))
                    .body("[1].reason", equalTo("replaced in production by version 1"));
            as(Roles.VIEWER).get("/api/models/" + first + "/history").then()
                    .body("toStage", contains("production", "archived", "production"));

            Awaitility.await().atMost(WAIT).until(() -> promoted(promotions.getRecords()).size() == 5);
            List<ModelPromoted> events = promoted(promotions.getRecords());
            assertThat(events).extracting(ModelPromoted::toStage)
                    .containsExactly("production", "archived", "production", "archived", "production");
            assertThat(events.get(0).changedBy()).isEqualTo(ModelPromoted.GATE);
            assertThat(events.get(0).model().uri()).isEqualTo("s3://models/gated-1/model/manifest.json");
            assertThat(events.get(2).reason()).isEqualTo("better on the new slice");
        } finally {
            promotions.stop();
        }
    }

    @Test
    void rollingBackWithoutAnEarlierProductionVersionIsRefused() {
        as(Roles.APPROVER).body("{\"reason\": \"why not\"}").post("/api/production/never-promoted/rollback")
                .then().statusCode(409).body("error", startsWith("model never-promoted has no production version"));
    }

    /**
     * The model's stage changes as a consumer sees them: delivery is at least once, and a repeated announcement
     * (a redelivered evaluation announces the gate's decision again) carries the same event id, so it is dropped.
     */
    private static List<ModelPromoted> promoted(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> r) {
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        return r.stream().map(x -> EventCodec.decode(x.value(), ModelPromoted.class))
                .filter(p -> p.modelName().equals(MODEL) && seen.add(p.eventId())).toList();
    }
}
