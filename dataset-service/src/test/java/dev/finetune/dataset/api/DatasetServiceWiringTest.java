package dev.finetune.dataset.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.LabeledExampleReceived;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.fixtures.KafkaRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
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
}
