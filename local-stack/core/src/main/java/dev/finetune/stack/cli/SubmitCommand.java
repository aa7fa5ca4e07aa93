package dev.finetune.stack.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.InvalidEventException;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackException;
import dev.finetune.stack.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Publishes a TrainingRequested event from a JSON file onto {@code training-requests}. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Publishes a training request (a TrainingRequested JSON file) onto the training-requests "
                + "topic, keyed by its jobId, and prints the jobId.",
                "eventId, occurredAt, schemaVersion and jobId are filled in when missing; the event is validated "
                        + "first and every problem is listed (exit code 2)."})
class SubmitCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Parameters(index = "0", paramLabel = "FILE.json", description = "The TrainingRequested event as JSON.")
    Path file;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka to publish to (default: the running stack's, else localhost:<kafka-port>).")
    String bootstrapServers;

    @Option(names = "--dry-run", description = "Validate and print the completed event; publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        String json;
        try {
            json = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        TrainingRequested request;
        try {
            request = prepare(json);
        } catch (InvalidEventException e) {
            System.err.println("finetune submit: " + file + " is not a valid training request:");
            e.problems().forEach(p -> System.err.println("  - " + p));
            return FinetuneCli.EXIT_INVALID;
        }
        if (dryRun) {
            System.out.println(EventCodec.encode(request));
            return 0;
        }
        String servers = bootstrapServers != null ? bootstrapServers : bootstrap(options.toConfig());
        RecordMetadata metadata = publish(servers, request);
        System.err.printf("published to %s partition %d offset %d%n", metadata.topic(), metadata.partition(),
                metadata.offset());
        System.out.println(request.jobId());
        return 0;
    }

    /** The event the file describes, with the envelope and jobId completed; validated. */
    static TrainingRequested prepare(String json) {
        JsonNode tree;
        try {
            tree = EventCodec.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("TrainingRequested", "not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(tree instanceof ObjectNode node)) {
            throw new InvalidEventException("TrainingRequested", "the file must hold one JSON object", null);
        }
        if (isMissing(node, "schemaVersion")) {
            node.put("schemaVersion", TrainingRequested.SCHEMA_VERSION);
        }
        if (isMissing(node, "eventId")) {
            node.put("eventId", UUID.randomUUID().toString());
        }
        if (isMissing(node, "occurredAt")) {
            node.put("occurredAt", Instant.now().toString());
        }
        if (isMissing(node, "jobId")) {
            node.put("jobId", UUID.randomUUID().toString());
        }
        if (isMissing(node, "requestedBy")) {
            node.put("requestedBy", System.getProperty("user.name", "cli"));
        }
        if (isMissing(node, "reason")) {
            node.put("reason", "submitted with finetune submit");
        }
        return EventCodec.decode(node.toString(), TrainingRequested.class);
    }

    private static boolean isMissing(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || (v.isTextual() && v.asText().isBlank());
    }

    static String bootstrap(StackConfig config) {
        return StackState.read(config.stateFile())
                .filter(StackState::supervisorAlive)
                .flatMap(s -> s.component("kafka"))
                .map(StackState.Component::address)
                .orElse(config.kafkaBootstrapServers());
    }

    static RecordMetadata publish(String bootstrapServers, TrainingRequested request) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            return producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, request.jobId(),
                    EventCodec.encode(request))).get(40, TimeUnit.SECONDS);
        } catch (Exception e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new StackException("cannot publish to " + Topics.TRAINING_REQUESTS + " on " + bootstrapServers
                    + " (is the stack up? `finetune status`): " + reason, e);
        }
    }
}
