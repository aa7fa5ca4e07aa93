package dev.finetune.dataset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.LabeledExampleReceived;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.security.TestTokens;
import dev.finetune.testing.fixtures.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Task shapes, settings, validation, versions, diffs and automatic retraining, against a real Kafka broker and a
 * real S3 server.
 */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class DatasetLifecycleTest {

    /** Every request as an admin: these tests are about what the API does, not who may call it. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.admin());
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static String lines(int n, String template) {
        return IntStream.range(0, n).mapToObj(i -> template.replace("#", Integer.toString(i)))
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static io.restassured.response.ValidatableResponse post(String path, String contentType, String body) {
        return given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8)).when().post(path).then();
    }

    private List<JsonNode> storedRows(String dataset, String version) throws Exception {
        List<JsonNode> rows = new java.util.ArrayList<>();
        for (String split : List.of("train", "validation", "test")) {
            String text = new String(store.readBytes(new S3Uri(Buckets.DATASETS,
                    dataset + "/" + version + "/" + split + ".jsonl")), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void everyTaskShapeBecomesAVersionInItsStoredShape() throws Exception {
        String instruction = post("/api/datasets/alpaca?task=INSTRUCTION", "application/x-ndjson",
                lines(40, "{\"instruction\": \"Repeat #.\", \"input\": \"the number #\", \"output\": \"# #\"}")
                        + lines(20, "{\"instruction\": \"Say # twice.\", \"output\": \"# #\"}"))
                .statusCode(201).body("task", equalTo("INSTRUCTION"))
                .extract().path("dataset.version");
        assertThat(storedRows("alpaca", instruction)).hasSize(60)
                .allSatisfy(row -> assertThat(row.has("instruction") && row.has("output")).isTrue())
                .anySatisfy(row -> assertThat(row.path("input").asText()).startsWith("the number"));

        String chat = post("/api/datasets/support-chat?task=CHAT&messagesField=turns", "application/x-ndjson",
                lines(30, "{\"turns\": [{\"role\": \"system\", \"content\": \"Be kind.\"}, {\"role\": \"user\","
                        + " \"content\": \"Ticket #?\"}, {\"role\": \"assistant\", \"content\": \"Ticket # is open.\"}]}"))
                .statusCode(201).body("task", equalTo("CHAT")).extract().path("dataset.version");
        assertThat(storedRows("support-chat", chat)).hasSize(30)
                .allSatisfy(row -> assertThat(row.path("messages").size()).isEqualTo(3));

        String pairs = post("/api/datasets/summaries?task=GENERATION&inputField=article&outputField=summary&groupField=doc",
                "text/csv", "doc,article,summary\n" + lines(50, "d#,\"Article #, long\nand wide.\",Summary #."))
                .statusCode(201).body("task", equalTo("GENERATION")).extract().path("dataset.version");
        assertThat(storedRows("summaries", pairs)).hasSize(50)
                .allSatisfy(row -> assertThat(row.path("input").asText()).contains("\n"))
                .allSatisfy(row -> assertThat(row.path("group").asText()).startsWith("d"));

        post("/api/datasets/stories?task=LANGUAGE_MODELING", "application/x-ndjson",
                lines(30, "{\"text\": \"Once upon a time # foxes ran.\"}"))
                .statusCode(201).body("task", equalTo("LANGUAGE_MODELING")).body("labels", org.hamcrest.Matchers.empty());
        // without settings or a task parameter, a dataset keeps the task of its versions
        post("/api/datasets/stories", "application/x-ndjson", lines(30, "{\"text\": \"Another # tale.\"}"))
                .statusCode(201).body("task", equalTo("LANGUAGE_MODELING"));

        DatasetVersionCreated event = EventCodec.decode(
                KafkaRecords.awaitRecord(kafka, Topics.DATASET_VERSIONS, "support-chat", WAIT).value(),
                DatasetVersionCreated.class);
        assertThat(event.task()).isEqualTo(TaskType.CHAT);
        given().when().get("/api/datasets/summaries/versions/" + pairs + "/card").then().statusCode(200)
                .contentType(containsString("text/markdown"))
                .body(containsString("# Dataset summaries, version " + pairs))
                .body(containsString("by group `doc`"));
    }

    @Test
    void settingsDecideValidationAndEveryKindOfBadRecordIsNamed() {
        given().contentType("application/json").body("""
                {"task": "classification", "fields": {"text": "review", "label": "stars"}, "onInvalid": "fail",
                 "labels": ["1", "2", "3"], "maxTokens": 40, "maxTextChars": 30}
                """).when().put("/api/datasets/rated/settings").then().statusCode(200)
                .body("labels", contains("1", "2", "3")).body("onInvalid", equalTo("FAIL"));
        String good = lines(30, "{\"review\": \"review #\", \"stars\": \"2\"}");
        String version = post("/api/datasets/rated", "application/x-ndjson", good).statusCode(201)
                .extract().path("dataset.version");

        String bad = good
                + "{\"review\": \"no stars\"}\n"                             // line 31: missing field
                + "{\"review\": 5, \"stars\": \"1\"}\n"                       // 32: wrong type
                + "{\"review\": \"meh\", \"stars\": \"9\"}\n"                 // 33: unknown label
                + "{\"review\": \" \\t \", \"stars\": \"1\"}\n"               // 34: empty text
                + "{\"review\": \"" + "word ".repeat(8) + "\", \"stars\": \"1\"}\n"  // 35: too long in characters
                + "{\"review\": \"" + "éééééééééééé" + "\", \"stars\": \"1\"}\n";     // 36: too long in tokens (bytes)
        post("/api/datasets/rated", "application/x-ndjson", bad).statusCode(400)
                .body("error", equalTo("the upload has 6 invalid records; nothing was stored"))
                .body("problems", contains(
                        "line 31: stars: is required",
                        "line 32: review: must be a string but was number",
                        "line 33: stars: '9' is not one of the dataset's labels [1, 2, 3]",
                        "line 34: review: must not be empty",
                        "line 35: review: is 39 characters, more than the limit of 30",
                        "line 36: is 42 tokens (bytes), more than the limit of 40"));
        byte[] latin1 = (good + "{\"review\": \"caf\u00e9\", \"stars\": \"1\"}\n").getBytes(StandardCharsets.ISO_8859_1);
        given().contentType("application/x-ndjson").body(latin1).when().post("/api/datasets/rated").then()
                .statusCode(400).body("problems", contains("line 31: not valid UTF-8 text"));

        // nothing stored: still one version, still HEAD
        given().when().get("/api/datasets/rated/versions").then().body("dataset.version", contains(version));
        assertThat(new String(store.readBytes(new S3Uri(Buckets.DATASETS, "rated/HEAD")), StandardCharsets.UTF_8))
                .isEqualTo(version);

        given().contentType("application/json").body("{\"task\": \"CHAT\", \"validationRatio\": 0.95, "
                        + "\"baselineShots\": 40, "
                        + "\"retraining\": {\"enabled\": true, \"minNewExamples\": 0, \"minInterval\": \"hourly\"}}")
                .when().put("/api/datasets/rated/settings").then().statusCode(400)
                .body("error", equalTo("invalid settings; nothing was stored"))
                .body("problems", contains(
                        "validationRatio and testRatio: must each be above 0 and together below 1 but were 0.95 and 0.1",
                        "baselineShots: must be between 0 and 16 but was 40",
                        "baselineShots: a few-shot baseline needs a baselinePrompt to write its examples in",
                        "retraining.minNewExamples: must be at least 1 but was 0",
                        "retraining.minInterval: must be an ISO-8601 duration such as PT1H but was 'hourly'",
                        "task: dataset rated holds CLASSIFICATION examples, not CHAT; use another dataset name for another task"));
    }

    @Test
    void appendingKeepsEverySplitAndTheDiffSaysWhatChanged() {
        String first = post("/api/datasets/growing", "application/x-ndjson",
                lines(100, "{\"text\": \"growing review #\", \"label\": \"L\"}".replace("L", "good")))
                .statusCode(201).body("added", equalTo(100)).extract().path("dataset.version");
        String second = post("/api/datasets/growing?mode=append", "application/x-ndjson",
                lines(50, "{\"text\": \"new review #\", \"label\": \"bad\"}"))
                .statusCode(201).body("parentVersion", equalTo(first)).body("added", equalTo(50))
                .body("removed", equalTo(0)).extract().path("dataset.version");

        given().when().get("/api/datasets/growing/diff?from=" + first + "&to=" + second).then().statusCode(200)
                .body("unchanged", equalTo(100)).body("moved", equalTo(0))
                .body("added.train", equalTo(40)).body("added.validation", equalTo(5)).body("added.test", equalTo(5))
                .body("removed.train", equalTo(0)).body("labels.added.bad", equalTo(50))
                .body("addedSamples.size()", equalTo(5));

        // appending what is there already changes nothing
        post("/api/datasets/growing?mode=append", "application/x-ndjson",
                lines(10, "{\"text\": \"new review #\", \"label\": \"bad\"}"))
                .statusCode(200).body("created", equalTo(false)).body("dataset.version", equalTo(second))
                .body("cleaning.duplicates", equalTo(10));
        given().when().get("/api/datasets/growing/versions/" + second + "/stats").then().statusCode(200)
                .body("parentVersion", equalTo(first)).body("source", equalTo("append"))
                .body("createdBy", equalTo("test-admin"))
                .body("labels.test.bad", equalTo(5)).body("tokens.train.examples", equalTo(120));
    }

    @Test
    void aStreamOfLabeledExamplesTriggersExactlyOneAutomaticTrainingRequest() {
        given().contentType("application/json").body("""
                {"retraining": {"enabled": true, "minNewExamples": 5, "minInterval": "PT1H"}}
                """).when().put("/api/datasets/tweets/settings").then().statusCode(200);
        String trained = post("/api/datasets/tweets", "application/x-ndjson",
                lines(60, "{\"text\": \"tweet #\", \"label\": \"" + "good" + "\"}")
                        + lines(60, "{\"text\": \"sad tweet #\", \"label\": \"bad\"}"))
                .statusCode(201).extract().path("dataset.version");

        TrainingRequested original = new TrainingRequested(TrainingRequested.SCHEMA_VERSION, UUID.randomUUID(),
                Instant.now(), "tweets-job-1", "tweet-sentiment", new DatasetRef("tweets", trained), "tiny-random",
                TrainingMethod.LORA, Hyperparameters.DEFAULTS, "alice", "manual");
        TrainingCompleted completed = new TrainingCompleted(TrainingCompleted.SCHEMA_VERSION, UUID.randomUUID(),
                Instant.now(), "tweets-job-1", JobOutcome.SUCCEEDED, null, original,
                new ArtifactRef("s3://models/tweets-job-1/model/manifest.json", "0".repeat(64), 10), "x", Map.of());
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TRAINING_COMPLETED, completed.key(),
                EventCodec.encode(completed)));
        Awaitility.await().atMost(WAIT).until(() -> store.exists(new S3Uri(Buckets.DATASETS, "tweets/last-training.json")));

        var requests = kafka.consumeStrings().fromTopics(Topics.TRAINING_REQUESTS);
        try {
            for (int i = 0; i < 8; i++) {
                LabeledExampleReceived example = LabeledExampleReceived.of("tweets",
                        Map.of("text", "fresh tweet " + i, "label", i % 2 == 0 ? "good" : "bad"), "labeling-tool");
                kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.LABELED_EXAMPLES, "tweets",
                        EventCodec.encode(example)));
            }
            Awaitility.await().atMost(WAIT).until(() -> automatic(requests.getRecords()).size() == 1);
            // the other three examples arrive within the interval: no second request
            Awaitility.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                    .until(() -> automatic(requests.getRecords()).size() == 1);
            TrainingRequested request = automatic(requests.getRecords()).get(0);
            assertThat(request.requestedBy()).isEqualTo("dataset-service");
            assertThat(request.reason()).startsWith("automatic retraining: 5 new labeled examples since version "
                    + trained).contains("at least 5 new examples, at most once per PT1H");
            assertThat(request.modelName()).isEqualTo("tweet-sentiment");
            assertThat(request.method()).isEqualTo(TrainingMethod.LORA);
            assertThat(request.baseModel()).isEqualTo("tiny-random");
            String folded = request.dataset().version();
            assertThat(folded).isNotEqualTo(trained);
            given().when().get("/api/datasets/tweets/versions/" + folded + "/stats").then().statusCode(200)
                    .body("parentVersion", equalTo(trained)).body("added", equalTo(5))
                    .body("source", equalTo("labeled-examples")).body("createdBy", equalTo("dataset-service"));
            Awaitility.await().atMost(WAIT).until(() -> store.list(Buckets.DATASETS, "tweets/incoming/").size() == 3);
        } finally {
            requests.stop();
        }
    }

    private static List<TrainingRequested> automatic(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> EventCodec.decode(r.value(), TrainingRequested.class))
                .filter(r -> r.dataset().name().equals("tweets")).toList();
    }

    @Test
    void aStreamedExampleThatBreaksTheDatasetsRulesGoesToTheDeadLetterTopic() {
        LabeledExampleReceived unlabeled = LabeledExampleReceived.of("strict", Map.of("text", "no label here"), "tool");
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.LABELED_EXAMPLES, "strict",
                EventCodec.encode(unlabeled)));

        ConsumerRecord<String, String> dead = KafkaRecords.awaitRecord(kafka, Topics.dlq(Topics.LABELED_EXAMPLES),
                "strict", WAIT);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("invalid LabeledExampleReceived for dataset strict: example: label: is required");
        assertThat(store.list(Buckets.DATASETS, "strict/")).isEmpty();
    }
}
