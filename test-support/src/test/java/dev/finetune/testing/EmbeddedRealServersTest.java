package dev.finetune.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.contracts.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The embedded servers really work: a Kafka record round trip, S3 objects with checked credentials, SQL. */
class EmbeddedRealServersTest {

    private static RealServersResource resource;
    private static Map<String, String> config;

    @BeforeAll
    static void start() {
        resource = new RealServersResource();
        resource.init(Map.of(RealServersResource.SERVERS, "kafka,s3,postgres", RealServersResource.MODE, "embedded"));
        config = resource.start();
    }

    @AfterAll
    static void stop() {
        resource.stop();
    }

    @Test
    void configPointsAtTheServers() {
        RealServers s = RealServers.current();
        assertThat(config).containsEntry("kafka.bootstrap.servers", s.bootstrapServers())
                .containsEntry("finetune.storage.endpoint", s.s3Endpoint())
                .containsEntry("finetune.storage.access-key", s.accessKey())
                .containsEntry("finetune.storage.secret-key", s.secretKey())
                .containsEntry("quarkus.datasource.jdbc.url", s.jdbcUrl())
                .containsKeys("quarkus.datasource.username", "quarkus.datasource.password");
        assertThat(s.containers()).isFalse();
    }

    @Test
    void kafkaRecordRoundTrip() throws Exception {
        String bootstrap = RealServers.current().bootstrapServers();
        String key = "job-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_PROGRESS, key, "{\"hello\":1}")).get();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.TRAINING_PROGRESS));
            ConsumerRecord<String, String> found = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        found = r;
                    }
                }
            }
            assertThat(found).isNotNull();
            assertThat(found.value()).isEqualTo("{\"hello\":1}");
        }
    }

    @Test
    void objectStoreWritesAndReadsAndRefusesAWrongSecret() {
        RealServers s = RealServers.current();
        ObjectStore store = s.objectStore();
        S3Uri uri = new S3Uri(Buckets.DATASETS, "test/" + UUID.randomUUID() + "/hello.txt");
        byte[] bytes = "hello, real S3".getBytes(StandardCharsets.UTF_8);
        var ref = store.putBytes(uri, bytes, "text/plain");
        assertThat(store.readVerified(ref)).isEqualTo(bytes);
        assertThat(store.list(Buckets.DATASETS, "test/")).contains(uri.key());

        ObjectStore intruder = new ObjectStore(s.s3Endpoint(), s.accessKey(), "not-the-secret");
        assertThatThrownBy(() -> intruder.readBytes(uri)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> intruder.putBytes(uri, new byte[] {1}, "text/plain")).isInstanceOf(StorageException.class);
    }

    @Test
    void postgresAnswersSql() throws Exception {
        RealServers s = RealServers.current();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.dbUser(), s.dbPassword())) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY, name TEXT)");
            c.createStatement().execute("INSERT INTO probe VALUES (1, 'real') ON CONFLICT DO NOTHING");
            try (ResultSet r = c.createStatement().executeQuery("SELECT name, version() FROM probe WHERE id = 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("real");
                assertThat(r.getString(2)).startsWith("PostgreSQL");
            }
        }
    }
}
