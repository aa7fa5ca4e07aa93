package dev.finetune.registry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.SplitArtifact;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.security.Roles;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.fixtures.KafkaRecords;
import dev.finetune.testing.security.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Task files through the registry's API against a real broker and database: apply, revisions, run, compare. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class TaskApiTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static RequestSpecification as(String role) {
        return RestAssured.given().auth().oauth2(TestTokens.token(role));
    }

    /** A request with a task file as its body. */
    private static RequestSpecification yaml(String role, String task) {
        return as(role).contentType("application/yaml").body(task.getBytes(StandardCharsets.UTF_8));
    }

    /** The repository's example task, renamed so that no other test's data meets it. */
    private static String exampleTask() throws Exception {
        return Files.readString(Path.of("..", "examples", "tasks", "sentiment.yaml"))
                .replace("name: sentiment\n", "name: task-api\n")
                .replace("name: sentiment ", "name: task-api-data ");
    }

    private void send(String topic, String key, PlatformEvent event) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key, EventCodec.encode(event)))
                .awaitCompletion();
    }

    @Test
    void aTaskIsAppliedAsRevisionsRunAsOneJobPerVariantAndItsRunsCompared() throws Exception {
        String task = exampleTask();
        assertThat(task).contains("name: task-api\n", "name: task-api-data ");

        // a broken file: every problem at once, nothing stored
        yaml(Roles.OPERATOR, task.replace("task: CLASSIFICATION", "task: SORTING")
                        .replace("epochs: 5", "epochs: 0"))
                .put("/api/tasks/task-api").then().statusCode(400)
                .body("error", equalTo("invalid task; nothing was stored"))
                .body("problems", hasItem(containsString("task: does not have a value in the enumeration")))
                .body("problems", hasItem(containsString("hyperparameters.epochs: must have a minimum value of 1")));
        as(Roles.VIEWER).get("/api/tasks/task-api").then().statusCode(404);
        // bodies are small here: a 2 MB one is refused before it is read
        yaml(Roles.OPERATOR, "# " + "x".repeat(2_000_000)).put("/api/tasks/task-api").then().statusCode(413);
        yaml(Roles.VIEWER, task).put("/api/tasks/task-api").then().statusCode(403);
        yaml(Roles.OPERATOR, task).put("/api/tasks/other-name").then()
                .statusCode(400).body("problems", contains(
                        "name: the file names task 'task-api' but it was applied as 'other-name'"));

        // revisions: a new one per change, none for the same file again
        yaml(Roles.OPERATOR, task).put("/api/tasks/task-api").then()
                .statusCode(201).body("revision", equalTo(1)).body("createdBy", equalTo("test-operator"))
                .body("spec.variants.name", contains("full", "lora-r8"));
        yaml(Roles.OPERATOR, task).put("/api/tasks/task-api").then()
                .statusCode(200).body("revision", equalTo(1));
        String changed = task.replace("maxConcurrentRuns: 2", "maxConcurrentRuns: 3");
        yaml(Roles.OPERATOR, changed).put("/api/tasks/task-api").then()
                .statusCode(201).body("revision", equalTo(2));
        as(Roles.VIEWER).get("/api/tasks/task-api/revisions").then().statusCode(200)
                .body("revision", contains(2, 1)).body("[1].spec.limits.maxConcurrentRuns", equalTo(2));
        // the file's gate is the model name's promotion policy
        as(Roles.VIEWER).get("/api/policies/task-api").then().statusCode(200)
                .body("metric", equalTo("accuracy")).body("targetStage", equalTo("production"));

        // no data yet: the run is refused and says why
        as(Roles.OPERATOR).post("/api/tasks/task-api/runs").then().statusCode(409)
                .body("problems", contains("dataset.version: dataset task-api-data has no version yet: upload its "
                        + "data to dataset-service first"));
        ArtifactRef split = new ArtifactRef("s3://datasets/task-api-data/v1/train.jsonl", SHA, 10);
        send(Topics.DATASET_VERSIONS, "task-api-data", new DatasetVersionCreated(1, UUID.randomUUID(), Instant.now(),
                new DatasetRef("task-api-data", "v1"), null, TaskType.CLASSIFICATION, List.of("negative", "positive"),
                new SplitArtifact(split, 80), new SplitArtifact(split, 10), new SplitArtifact(split, 10), SHA, 0));
        List<String> jobIds = Awaitility.await().atMost(WAIT).until(() -> {
            var response = as(Roles.OPERATOR).post("/api/tasks/task-api/runs");
            return response.statusCode() == 202 ? response.jsonPath().getList("jobs.jobId", String.class) : null;
        }, Objects::nonNull);

        // one job per variant went out on training-requests, on the dataset's newest version
        assertThat(jobIds).hasSize(2);
        List<TrainingRequested> requests = jobIds.stream().map(id -> EventCodec.decode(
                KafkaRecords.awaitRecord(kafka, Topics.TRAINING_REQUESTS, id, WAIT).value(), TrainingRequested.class))
                .toList();
        assertThat(requests).extracting(TrainingRequested::method)
                .containsExactlyInAnyOrder(TrainingMethod.FULL, TrainingMethod.LORA);
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.dataset()).isEqualTo(new DatasetRef("task-api-data", "v1"));
            assertThat(r.requestedBy()).isEqualTo("test-operator");
            assertThat(r.reason()).startsWith("task task-api revision 2, variant ");
        });
        // three at once at most: two are queued, a run of two more is refused
        as(Roles.OPERATOR).post("/api/tasks/task-api/runs").then().statusCode(409)
                .body("problems", contains("limits.maxConcurrentRuns: 3 jobs of task task-api may be queued or "
                        + "training at once; 2 are, and this run adds 2"));

        // both trained and evaluated (LoRA first): both pass the gate, but only the better one is promoted, and
        // only once the whole run has ended
        List<TrainingRequested> loraFirst = requests.stream()
                .sorted(java.util.Comparator.comparing(r -> r.method() == TrainingMethod.LORA ? 0 : 1)).toList();
        for (TrainingRequested r : loraFirst) {
            boolean lora = r.method() == TrainingMethod.LORA;
            TrainingCompleted completed = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), r.jobId(),
                    JobOutcome.SUCCEEDED, null, r, new ArtifactRef("s3://models/" + r.jobId() + "/model/manifest.json",
                    SHA, 10), SHA, Map.of("durationSeconds", lora ? 10.0 : 20.0, "tokensPerSecond", 1000.0));
            send(Topics.TRAINING_COMPLETED, r.jobId(), completed);
            send(Topics.EVALUATION_COMPLETED, r.jobId(), new EvaluationCompleted(1, UUID.randomUUID(), Instant.now(),
                    r.jobId(), JobOutcome.SUCCEEDED, null, completed.model(), r.dataset(), 10,
                    Map.of("accuracy", lora ? 0.75 : 0.9, "baseline.accuracy", 0.5, "prompt.accuracy", 0.6),
                    new ArtifactRef("s3://evaluations/" + r.jobId() + "/report.json", SHA, 9)));
            if (lora) {
                Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/models?jobId=" + r.jobId())
                        .then().body("[0].gatePassed", equalTo(true)).body("[0].stage", equalTo("candidate")));
            }
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/production/task-api").then()
                .statusCode(200).body("method", equalTo("FULL"))
                .body("gateDecision", containsString("the best passing variant (full) of its run of 2")));
        String loraJob = loraFirst.get(0).jobId();
        as(Roles.VIEWER).get("/api/models?jobId=" + loraJob).then().body("[0].stage", equalTo("candidate"))
                .body("[0].gateDecision", containsString("not promoted: variant full of the same run scored better "
                        + "on accuracy"));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> as(Roles.VIEWER).get("/api/tasks/task-api/runs").then()
                .statusCode(200).body("findAll { it.value != null }", hasSize(2)));
        as(Roles.VIEWER).get("/api/tasks/task-api/runs").then()
                .body("find { it.variant == 'full' }.value", equalTo(0.9f))
                .body("find { it.variant == 'full' }.baseline", equalTo(0.6f))
                .body("find { it.variant == 'full' }.best", equalTo(true))
                .body("find { it.variant == 'full' }.tokens", equalTo(20000.0f))
                .body("find { it.variant == 'lora-r8' }.best", equalTo(false))
                .body("find { it.variant == 'lora-r8' }.durationSeconds", equalTo(10.0f))
                .body("metric", hasItem("accuracy"));
        as(Roles.VIEWER).get("/api/tasks").then().body("name", hasItem("task-api"));

        // and on the dashboard: the task list, and the runs side by side with the best marked
        String cookie = RestAssured.given().redirects().follow(false).formParam("token", TestTokens.token(Roles.OPERATOR))
                .post("/dashboard/session").getCookie("finetune_token");
        RestAssured.given().cookie("finetune_token", cookie).get("/dashboard/tasks").then().statusCode(200)
                .body(containsString("href=\"/dashboard/tasks/task-api\""), containsString("full, lora-r8"));
        RestAssured.given().cookie("finetune_token", cookie).get("/dashboard/tasks/task-api").then().statusCode(200)
                .body(containsString("<tr class=\"best\">"), containsString("<td class=\"num\">0.9000</td>"),
                        containsString("<td class=\"num\">+0.3000</td>"), containsString("id=\"run-task\""),
                        containsString("<th>accuracy</th>"));
    }
}
