package dev.finetune.dataset.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.LabeledExampleReceived;
import dev.finetune.contracts.events.TaskRevised;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
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
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** dataset-service against a real Kafka broker and a real S3 server. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class DatasetServiceWiringTest {

    /** Every request as an admin: these tests are about what the API does, not who may call it. */
    private static RequestSpecification given() {
        return RestAssured.given().auth().oauth2(TestTokens.admin());
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    ObjectStore store;

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    private static String reviews(int n, String salt) {
        return IntStream.range(0, n)
                .mapToObj(i -> "{\"text\": \"review %s %d\", \"label\": \"%s\"}".formatted(salt, i, i % 2 == 0 ? "good" : "bad"))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void anUploadIsSplitStoredAndAnnounced() {
        String body = reviews(100, "a");
        String version = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/reviews?task=CLASSIFICATION")
                .then().statusCode(201)
                .body("created", equalTo(true))
                .body("labels", contains("bad", "good"))
                .extract().path("dataset.version");

        ConsumerRecord<String, String> record = KafkaRecords.awaitRecord(kafka, Topics.DATASET_VERSIONS, "reviews", WAIT);
        assertThat(record.key()).isEqualTo("reviews");
        DatasetVersionCreated event = EventCodec.decode(record.value(), DatasetVersionCreated.class);
        assertThat(event.dataset().version()).isEqualTo(version);
        assertThat(event.train().examples() + event.validation().examples() + event.test().examples()).isEqualTo(100);
        assertThat(store.readVerified(event.test().artifact())).isNotEmpty();

        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/reviews?task=CLASSIFICATION")
                .then().statusCode(200).body("created", equalTo(false)).body("dataset.version", equalTo(version));
        given().when().get("/api/datasets/reviews/versions")
                .then().statusCode(200).body("dataset.version", contains(version));
        given().when().get("/api/datasets/reviews/versions/" + version)
                .then().statusCode(200).body("contentSha256", equalTo(event.contentSha256()));
    }

    @Test
    void aBadUploadGetsEveryProblemAndStoresNothing() {
        String body = reviews(50, "b") + "\n{\"text\": \"no label\"}\nnot json\n";
        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/broken?task=CLASSIFICATION")
                .then().statusCode(400)
                .body("error", equalTo("the upload has 2 invalid records; nothing was stored"))
                .body("problems", hasItem("line 51: label: is required"));
        assertThat(store.list(Buckets.DATASETS, "broken/")).isEmpty();

        given().contentType("application/x-ndjson").body(reviews(10, "c").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/Not..A..Name")
                .then().statusCode(400);
        given().contentType("application/x-ndjson").body(reviews(10, "c").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/ok?task=POETRY")
                .then().statusCode(400).body("problems[0]", org.hamcrest.Matchers.startsWith("task: must be one of"));
    }

    @Test
    void streamedExamplesAreKeptAndMalformedOnesGoToTheDeadLetterTopic() {
        LabeledExampleReceived good = LabeledExampleReceived.of("stream", Map.of("text", "lovely", "label", "good"), "test");
        kafka.produceStrings().fromRecords(
                new ProducerRecord<>(Topics.LABELED_EXAMPLES, "stream", "{this is not json"),
                new ProducerRecord<>(Topics.LABELED_EXAMPLES, "stream", EventCodec.encode(good)));

        ConsumerRecord<String, String> dead = KafkaRecords.awaitRecord(kafka, Topics.dlq(Topics.LABELED_EXAMPLES), "stream", WAIT);
        assertThat(dead.value()).isEqualTo("{this is not json");
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .startsWith("malformed LabeledExampleReceived");

        S3Uri kept = new S3Uri(Buckets.DATASETS, "stream/incoming/" + good.eventId() + ".json");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.exists(kept));
    }

    @Test
    void anAppliedTaskSetsItsDatasetsSettingsAndOneThatDoesNotFitGoesToTheDeadLetterTopic() throws Exception {
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "tasks", "sentiment.yaml"))
                .replace("name: sentiment ", "name: task-reviews ");
        TaskSpec spec = TaskSpecs.read(yaml).spec();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TASK_REVISIONS, "sentiment", EventCodec.encode(
                new TaskRevised(1, UUID.randomUUID(), Instant.now(), "sentiment", 1, spec, "test-operator"))))
                .awaitCompletion();

        Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/api/datasets/task-reviews/settings").then()
                .statusCode(200)
                .body("task", equalTo("CLASSIFICATION"))
                .body("labels", contains("negative", "positive"))
                .body("baselinePrompt", equalTo("Review: {text}\nIs this review positive or negative?"))
                .body("baselineShots", equalTo(4)));

        // the same dataset cannot hold another task's examples: the event goes to the DLQ, the settings stay
        String rows = IntStream.range(0, 30).mapToObj(i -> "{\"text\": \"task review " + i + "\", \"label\": \""
                + (i % 2 == 0 ? "positive" : "negative") + "\"}").collect(Collectors.joining("\n"));
        given().contentType("application/x-ndjson").body(rows.getBytes(StandardCharsets.UTF_8))
                .post("/api/datasets/task-reviews").then().statusCode(201);
        TaskSpec chat = TaskSpecs.read(yaml.replace("task: CLASSIFICATION", "task: GENERATION")
                .replace("labels: [negative, positive]\n", "").replace("metrics: [accuracy, macroF1]", "metrics: [loss]")
                .replace("metric: accuracy", "metric: loss").replace("fields: {text: text, label: label}",
                        "fields: {input: text, output: label}")).spec();
        assertThat(chat).isNotNull();
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.TASK_REVISIONS, "sentiment", EventCodec.encode(
                new TaskRevised(1, UUID.randomUUID(), Instant.now(), "sentiment", 2, chat, "test-operator"))))
                .awaitCompletion();
        ConsumerRecord<String, String> dead = KafkaRecords.awaitRecord(kafka, Topics.dlq(Topics.TASK_REVISIONS),
                "sentiment", WAIT);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("for dataset task-reviews", "holds CLASSIFICATION examples, not GENERATION");
        given().get("/api/datasets/task-reviews/settings").then().body("task", equalTo("CLASSIFICATION"));
    }

    /** A CSV of n distinct reviews under the columns {@code id,sentiment,review}, texts with commas and newlines. */
    private static String csvReviews(int n, String salt) {
        return "id,sentiment,review\n" + IntStream.range(0, n)
                .mapToObj(i -> "%d,%s,\"review %s %d, with a comma\nand a newline\"".formatted(i, i % 2 == 0 ? "good" : "bad", salt, i))
                .collect(Collectors.joining("\n")) + "\n";
    }

    @Test
    void aCsvUploadWithMappedColumnsIsCleanedAndItsReportStored() {
        String body = csvReviews(100, "d")
                + "200,good,\"review d 0, with a comma\nand a newline\"\n"   // duplicate of row 0: dropped
                + "201,bad,twice told\n202,good,twice told\n"               // conflicting labels: both dropped
                + "203,good,\"Review D 2 -- with a comma, and a newline!\"\n"; // near-duplicate of row 2: dropped
        String version = given().contentType("text/csv").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/csv-reviews?textField=review&labelField=sentiment")
                .then().statusCode(201)
                .body("labels", contains("bad", "good"))
                .body("cleaning.duplicates", equalTo(1))
                .body("cleaning.nearDuplicates", equalTo(1))
                .body("cleaning.conflictingLabels", equalTo(2))
                .body("cleaning.rejected", equalTo(0))
                .body("rejectedRecords", equalTo(0))
                .extract().path("dataset.version");

        DatasetVersionCreated event = EventCodec.decode(
                KafkaRecords.awaitRecord(kafka, Topics.DATASET_VERSIONS, "csv-reviews", WAIT).value(),
                DatasetVersionCreated.class);
        assertThat(event.train().examples() + event.validation().examples() + event.test().examples()).isEqualTo(100);
        String stored = new String(store.readVerified(event.train().artifact()), StandardCharsets.UTF_8);
        assertThat(stored).contains("\"text\":\"review d").contains("with a comma and a newline")
                .doesNotContain("twice told").doesNotContain("sentiment");

        S3Uri report = new S3Uri(Buckets.DATASETS, "csv-reviews/" + version + "/report.json");
        assertThat(new String(store.readBytes(report), StandardCharsets.UTF_8))
                .contains("\"duplicates\":1,\"nearDuplicates\":1,\"conflictingLabels\":2");
        given().when().get("/api/datasets/csv-reviews/versions/" + version + "/report")
                .then().statusCode(200).body("duplicates", equalTo(1)).body("conflictingLabels", equalTo(2));

        // format=csv selects the parser whatever the content type; problems name the mapped column and CSV line
        given().contentType("application/octet-stream")
                .body((csvReviews(10, "e") + "11,,no sentiment\n").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/csv-broken?format=csv&textField=review&labelField=sentiment")
                .then().statusCode(400)
                .body("error", equalTo("the upload has 1 invalid records; nothing was stored"))
                .body("problems", contains("line 22: sentiment: is required"));
        given().contentType("text/csv").body(csvReviews(10, "f").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/csv-broken")
                .then().statusCode(400)
                .body("error", equalTo("the upload cannot be read; nothing was stored"))
                .body("problems[0]", org.hamcrest.Matchers.startsWith("line 1: the header row has no column text or label"));
        assertThat(store.list(Buckets.DATASETS, "csv-broken/")).isEmpty();
    }

    @Test
    void skippingInvalidRecordsStoresTheRestAndCountsThem() {
        String body = reviews(100, "g") + "\n{\"text\": \"no label\"}\nnot json\n{\"text\": 7, \"label\": \"good\"}\n";
        Map<String, Integer> counts = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/skipping?onInvalid=skip")
                .then().statusCode(201)
                .body("rejectedRecords", equalTo(3))
                .body("cleaning.rejected", equalTo(3))
                .body("problems", hasItem("line 101: label: is required"))
                .body("problems.size()", equalTo(3))
                .extract().path("counts");
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        DatasetVersionCreated event = EventCodec.decode(
                KafkaRecords.awaitRecord(kafka, Topics.DATASET_VERSIONS, "skipping", WAIT).value(),
                DatasetVersionCreated.class);
        assertThat(event.rejectedRecords()).isEqualTo(3);

        given().contentType("application/x-ndjson").body("{}\nnope\n".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/skip-nothing?onInvalid=skip")
                .then().statusCode(400)
                .body("error", equalTo("the upload has 2 invalid records and no valid one; nothing was stored"));
        assertThat(store.list(Buckets.DATASETS, "skip-nothing/")).isEmpty();

        given().contentType("application/x-ndjson").body(reviews(10, "h").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/ok?onInvalid=ignore&format=xml&textField=x&labelField=x")
                .then().statusCode(400)
                .body("problems", contains("onInvalid: must be fail or skip but was 'ignore'",
                        "format: must be jsonl or csv but was 'xml'",
                        "fields.text and fields.label: must name different fields but both are 'x'"));
    }

    @Test
    void mappedJsonFieldsAreReadAndNamedInProblems() {
        String body = IntStream.range(0, 60)
                .mapToObj(i -> "{\"body\": \"mapped %d\", \"tag\": \"%s\"}".formatted(i, i % 2 == 0 ? "a" : "b"))
                .collect(Collectors.joining("\n"));
        given().contentType("application/x-ndjson").body((body + "\n{\"body\": \"untagged\"}").getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/mapped?textField=body&labelField=tag")
                .then().statusCode(400).body("problems", contains("line 61: tag: is required"));
        given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/datasets/mapped?textField=body&labelField=tag")
                .then().statusCode(201).body("labels", contains("a", "b"));
    }
}
