package dev.finetune.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.security.Roles;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.stack.LocalStack;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.Ports;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.client.PlatformClient;
import dev.finetune.stack.security.TokenIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform as a user runs it: Kafka, the S3 server, PostgreSQL and the four services as separate
 * processes; a dataset uploaded, a job submitted, and the registry listing a model version whose metrics came
 * from a real evaluation of a really trained model.
 */
class PipelineEndToEndTest {

    @TempDir
    static Path dataDir;

    private static final ObjectMapper JSON = new ObjectMapper();

    static LocalStack stack;
    static PlatformClient client;

    @BeforeAll
    static void startStack() {
        Path repo = Path.of(System.getProperty("finetune.repo.root")).toAbsolutePath().normalize();
        StackConfig config = StackConfig.builder(repo).dataDir(dataDir)
                .kafkaPort(Ports.freePort()).kafkaControllerPort(Ports.freePort()).s3Port(Ports.freePort())
                .postgresPort(Ports.freePort()).registryPort(Ports.freePort()).datasetPort(Ports.freePort())
                .trainerPort(Ports.freePort()).evaluatorPort(Ports.freePort())
                .build();
        stack = new LocalStack(config, true).serviceTimeout(Duration.ofMinutes(3)).start();
        client = new PlatformClient(URI.create(config.serviceUrl(PlatformService.DATASET)),
                URI.create(config.serviceUrl(PlatformService.REGISTRY)),
                TokenIssuer.forStack(config).issue("e2e", Roles.ADMIN, Duration.ofHours(1)));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDatasetBecomesARegisteredEvaluatedModelVersion() throws Exception {
        Path repo = stack.config().repoRoot();
        var upload = client.uploadDataset("sentiment", TaskType.CLASSIFICATION,
                repo.resolve("examples/datasets/sentiment.jsonl"));
        assertThat(upload.labels()).containsExactly("negative", "positive");

        // a gate any evaluated version passes: the version moves to staging, and the gate's metrics exist
        client.putPromotionPolicy("sentiment", Map.of("metric", "accuracy", "minGainOverBaseline", -1.0,
                "minGainOverProduction", -1.0, "targetStage", "staging"));
        var job = client.submitJob(new PlatformClient.JobRequest("sentiment", upload.dataset(), "tiny-random",
                TrainingMethod.FULL, new Hyperparameters(8, null, 16, 64, 3e-3, 10, 0.01, 42L, 10)));
        List<TrainingProgress> progress = new ArrayList<>();
        client.followProgress(stack.config().kafkaBootstrapServers(), job.jobId(), progress::add, Duration.ofMinutes(10));

        JsonNode model = client.awaitEvaluatedModel(job.jobId(), Duration.ofMinutes(5));
        assertThat(model.path("stage").asText()).isEqualTo("staging");
        assertThat(model.path("gateDecision").asText()).startsWith("passed: accuracy ");
        assertThat(model.path("dataset").path("version").asText()).isEqualTo(upload.dataset().version());
        assertThat(model.path("datasetSha256").asText()).isEqualTo(upload.contentSha256());
        assertThat(model.path("model").path("uri").asText()).startsWith("s3://models/" + job.jobId() + "/");
        JsonNode training = model.path("trainingMetrics");
        assertThat(training.path("trainLoss").asDouble()).isLessThan(training.path("initialTrainLoss").asDouble());
        // Quality thresholds belong to benchmarks and to language-model's own learning test, which runs in
        // one JVM and is deterministic; across service JVMs the tiny model's accuracy varies run to run
        // (0.53-0.79 seen for the demo's settings). Here: the metrics exist, are sane, and show training
        // worked (test perplexity of an untrained byte model is about e^5.5 = 245).
        JsonNode evaluation = model.path("evaluationMetrics");
        assertThat(evaluation.path("accuracy").asDouble(-1)).isBetween(0.0, 1.0);
        assertThat(evaluation.path("macroF1").asDouble(-1)).isBetween(0.0, 1.0);
        assertThat(evaluation.path("perplexity").asDouble()).isBetween(1.0, 2.0);
        assertThat(evaluation.path("loss").asDouble()).isEqualTo(Math.log(evaluation.path("perplexity").asDouble()),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(progress).isNotEmpty();
        assertThat(progress).extracting(TrainingProgress::step).isSorted();
        // lineage names the code that trained it, and the registry kept the curve the trainer reported
        assertThat(model.path("codeVersion").asText()).startsWith("0.1.0-SNAPSHOT+");
        assertThat(model.path("trainingCurve").path("points").asInt()).isPositive();
        assertThat(model.path("trainingCurve").path("lastStep").asInt())
                .isEqualTo(progress.get(progress.size() - 1).step());
        assertDashboardsChartPublishedMetrics();
    }

    /** Every metric the provisioned Grafana dashboards chart is one the services publish once a job went through. */
    private static void assertDashboardsChartPublishedMetrics() throws Exception {
        Set<String> published = new TreeSet<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (PlatformService service : PlatformService.values()) {
            String scrape = http.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(stack.config().serviceUrl(service) + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(published::add);
        }
        Path dashboards = stack.config().repoRoot().resolve("observability/grafana/dashboards");
        Pattern metric = Pattern.compile("\\b((?:finetune|kafka|http_server|jvm|process)_[a-z0-9_]+)");
        Map<String, Set<String>> charted = new java.util.TreeMap<>();
        try (var files = Files.list(dashboards)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                for (JsonNode panel : JSON.readTree(file.toFile()).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        Matcher m = metric.matcher(target.path("expr").asText());
                        while (m.find()) {
                            charted.computeIfAbsent(m.group(1), k -> new TreeSet<>())
                                    .add(file.getFileName() + ": " + panel.path("title").asText());
                        }
                    }
                }
            }
        }
        assertThat(charted).as("metrics charted by %s", dashboards).hasSizeGreaterThan(15);
        assertThat(charted.keySet()).as("charted metrics the services do not publish (panels: %s)", charted)
                .isSubsetOf(published);
    }

    /** One API call: who may make it, and a body that is refused after the role check (so nothing happens). */
    private record Endpoint(PlatformService service, String method, String path, String body, String role) {
    }

    /**
     * The repository's example task end to end: applied, run as one job per variant, both trained and evaluated,
     * compared side by side, and the gate's choice made once the run ended (the demo's base model is built by the
     * demo only, so the file's base model is swapped for tiny-random here).
     */
    @Test
    void theExampleTaskRunsItsVariantsAndTheGateChoosesAmongThem() throws Exception {
        Path repo = stack.config().repoRoot();
        client.uploadDataset("sentiment", TaskType.CLASSIFICATION, repo.resolve("examples/datasets/sentiment.jsonl"));
        String task = Files.readString(repo.resolve("examples/tasks/sentiment.yaml"))
                .replace("name: sentiment\n", "name: sentiment-task\n")
                .replace("baseModel: tiny-llama", "baseModel: tiny-random");
        assertThat(client.applyTask("sentiment-task", task).path("revision").asInt()).isEqualTo(1);

        JsonNode started = client.runTask("sentiment-task");
        assertThat(started.path("notQueued")).isEmpty();
        List<String> jobs = new ArrayList<>();
        started.path("jobs").forEach(j -> jobs.add(j.path("jobId").asText()));
        assertThat(jobs).hasSize(2);
        for (String job : jobs) {
            client.awaitEvaluatedModel(job, Duration.ofMinutes(10));
        }

        JsonNode runs = client.taskRuns("sentiment-task");
        List<String> variants = new ArrayList<>();
        runs.forEach(r -> variants.add(r.path("variant").asText()));
        assertThat(variants).containsExactlyInAnyOrder("full", "lora-r8");
        runs.forEach(r -> {
            assertThat(r.path("status").asText()).isEqualTo("EVALUATED");
            assertThat(r.path("value").asDouble(-1)).isBetween(0.0, 1.0);
            assertThat(r.path("baseline").isNumber()).isTrue();
            assertThat(r.path("tokens").asDouble()).isPositive();
        });
        // the gate's choice: of the variants that passed, the best one, and only it, is in production
        JsonNode best = null;
        for (JsonNode r : runs) {
            if (r.path("gatePassed").asBoolean(false) && (best == null || r.path("value").asDouble() > best.path("value").asDouble())) {
                best = r;
            }
        }
        List<String> stages = new ArrayList<>();
        runs.forEach(r -> stages.add(client.model(r.path("modelVersionId").asText()).path("stage").asText()));
        if (best == null) {
            assertThat(stages).containsOnly("candidate");
        } else {
            String bestStage = client.model(best.path("modelVersionId").asText()).path("stage").asText();
            assertThat(bestStage).isEqualTo("production");
            assertThat(stages).containsOnlyOnce("production");
        }
    }

    @Test
    void everyEndpointAnswersOnlyTheRolesAllowedToCallIt(@TempDir Path otherKeys) throws Exception {
        StackConfig config = stack.config();
        List<Endpoint> endpoints = List.of(
                new Endpoint(PlatformService.DATASET, "GET", "/api/datasets/matrix/versions", null, Roles.VIEWER),
                new Endpoint(PlatformService.DATASET, "GET", "/api/datasets/matrix/settings", null, Roles.VIEWER),
                new Endpoint(PlatformService.DATASET, "POST", "/api/datasets/matrix", "", Roles.DATA_EDITOR),
                new Endpoint(PlatformService.DATASET, "PUT", "/api/datasets/matrix/settings",
                        "{\"validationRatio\": 2}", Roles.DATA_EDITOR),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/jobs", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "POST", "/api/jobs", "{}", Roles.OPERATOR),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/models", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/models/compare", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/jobs/matrix/curve", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "POST", "/api/models/999999/stage", "{}", Roles.APPROVER),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/production/matrix", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "POST", "/api/production/matrix/rollback", "{}",
                        Roles.APPROVER),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/policies/matrix", null, Roles.VIEWER),
                new Endpoint(PlatformService.REGISTRY, "PUT", "/api/policies/matrix", "{}", Roles.ADMIN),
                new Endpoint(PlatformService.REGISTRY, "GET", "/api/audit", null, Roles.VIEWER));
        TokenIssuer issuer = TokenIssuer.forStack(config);
        String valid = issuer.issue("mallory", Roles.VIEWER, Duration.ofHours(1));
        String[] parts = valid.split("\\.");
        String elevated = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"viewer\"", "\"admin\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        Map<String, String> refused = Map.of(
                "no token", "",
                "expired", issuer.issue("late", Roles.ADMIN, Duration.ofMinutes(5),
                        java.time.Instant.now().minus(Duration.ofHours(1))),
                "signed by another key", new TokenIssuer(dev.finetune.stack.security.SigningKeys.inFolder(otherKeys))
                        .issue("forger", Roles.ADMIN, Duration.ofHours(1)),
                "payload changed after signing", elevated,
                "not a JWT", "not-a-token");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<String> wrong = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (String role : Roles.ALL) {
                int status = call(http, config, e, issuer.issue("matrix-" + role, role, Duration.ofHours(1)));
                boolean allowed = Roles.implied(java.util.Set.of(role)).contains(e.role());
                if (allowed ? status == 401 || status == 403 : status != 403) {
                    wrong.add(e.method() + " " + e.path() + " as " + role + ": " + status);
                }
            }
            for (Map.Entry<String, String> bad : refused.entrySet()) {
                int status = call(http, config, e, bad.getValue());
                if (status != 401) {
                    wrong.add(e.method() + " " + e.path() + " with " + bad.getKey() + ": " + status);
                }
            }
        }
        assertThat(wrong).as("answers that break the role matrix").isEmpty();
        // health stays open for probes
        assertThat(call(http, config, new Endpoint(PlatformService.DATASET, "GET", "/q/health/ready", null, null), ""))
                .isEqualTo(200);
    }

    private static int call(java.net.http.HttpClient http, StackConfig config, Endpoint e, String token)
            throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(URI.create(config.serviceUrl(e.service()) + e.path()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", e.service() == PlatformService.REGISTRY || e.path().endsWith("settings")
                        ? "application/json" : "application/x-ndjson")
                .method(e.method(), e.body() == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(e.body()));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aBadUploadIsRefusedWithEveryProblemAndStoresNothing() throws Exception {
        Path bad = dataDir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"text\": \"fine\", \"label\": \"positive\"}\n{\"text\": \"no label\"}\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> client.uploadDataset("bad-upload", TaskType.CLASSIFICATION, bad))
                .hasMessageContaining("line 2: label: is required");
        assertThat(stack.objectStore().list(Buckets.DATASETS, "bad-upload/")).isEmpty();
    }

    @Test
    void aMalformedRequestLandsInTheDeadLetterTopicWithItsReason() {
        String bootstrap = stack.config().kafkaBootstrapServers();
        String key = "malformed-" + UUID.randomUUID();
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.TRAINING_REQUESTS, key, "{\"jobId\": 12")).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Properties consumerProps = new Properties();
        consumerProps.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.dlq(Topics.TRAINING_REQUESTS)));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            ConsumerRecord<String, String> dead = null;
            while (dead == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (key.equals(r.key())) {
                        dead = r;
                    }
                }
            }
            assertThat(dead).as("dead letter for " + key).isNotNull();
            assertThat(dead.value()).isEqualTo("{\"jobId\": 12");
            assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                    .startsWith("malformed TrainingRequested");
        }
    }
}
