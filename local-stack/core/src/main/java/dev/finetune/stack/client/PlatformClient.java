package dev.finetune.stack.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.InvalidEventException;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.lm.training.ProgressUpdate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A client of the running platform: dataset-service's upload API, registry-service's job and model APIs, and
 * the {@code training-progress} topic. The demo and the end-to-end test drive the pipeline through it.
 */
public class PlatformClient {

    /** Job states after which nothing more happens to a job. */
    public static final Set<String> FINAL_STATES = Set.of("EVALUATED", "FAILED");

    private final URI datasetService;
    private final URI registryService;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper mapper = EventCodec.mapper();
    private Duration pollInterval = Duration.ofSeconds(1);

    /** @param bearerToken sent with every request; its name is recorded as who uploaded or asked */
    public PlatformClient(URI datasetService, URI registryService, String bearerToken) {
        this.datasetService = datasetService;
        this.registryService = registryService;
        this.authorization = "Bearer " + bearerToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public PlatformClient pollInterval(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** What dataset-service answered to an upload. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DatasetUpload(DatasetRef dataset, String task, List<String> labels, Map<String, Integer> counts,
                                String contentSha256, boolean created) {
    }

    /** What the job API answered to a submission. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobSubmission(String jobId, String status) {
    }

    /** A job's state as the registry reports it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobStatus(String jobId, String status, Integer step, Integer totalSteps, Double trainLoss,
                            Double validationLoss, String failureReason) {

        public boolean isFinal() {
            return FINAL_STATES.contains(status);
        }
    }

    /** What to train: the body of {@code POST /api/jobs}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record JobRequest(String modelName, DatasetRef dataset, String baseModel, TrainingMethod method,
                             Hyperparameters hyperparameters) {
    }

    /** Uploads a JSONL file as a new version of a dataset; a 400 becomes an exception listing every problem. */
    public DatasetUpload uploadDataset(String name, TaskType task, Path jsonl) {
        URI uri = datasetService.resolve("/api/datasets/" + encode(name) + "?task=" + encode(task.name()));
        try {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofMinutes(2))
                    .header("Content-Type", "application/x-ndjson")
                    .header("Authorization", authorization)
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofFile(jsonl))
                    .build();
            return mapper.treeToValue(send(request, "upload dataset " + name), DatasetUpload.class);
        } catch (IOException e) {
            throw new PlatformClientException("cannot upload " + jsonl + ": " + e.getMessage(), e);
        }
    }

    /** Replaces a dataset's settings (dataset-service's {@code PUT /api/datasets/{name}/settings}). */
    public JsonNode putDatasetSettings(String dataset, Map<String, Object> settings) {
        return sendJson("PUT", datasetService.resolve("/api/datasets/" + encode(dataset) + "/settings"), settings,
                "set the settings of dataset " + dataset);
    }

    /** Sets the promotion gate of a model name (the registry's {@code PUT /api/policies/{modelName}}). */
    public JsonNode putPromotionPolicy(String modelName, Map<String, Object> policy) {
        return sendJson("PUT", registryService.resolve("/api/policies/" + encode(modelName)), policy,
                "set the promotion policy of " + modelName);
    }

    /**
     * Applies a task file (the registry's {@code PUT /api/tasks/{name}}): the task's revision, new or unchanged;
     * a refused file becomes an exception listing every problem.
     */
    public JsonNode applyTask(String name, String yaml) {
        return sendText("PUT", registryService.resolve("/api/tasks/" + encode(name)), "application/yaml", yaml,
                "apply task " + name);
    }

    /** Runs a task: one job per variant ({@code POST /api/tasks/{name}/runs}). */
    public JsonNode runTask(String name) {
        return sendText("POST", registryService.resolve("/api/tasks/" + encode(name) + "/runs"), "application/json",
                "", "run task " + name);
    }

    /** A task at its newest revision ({@code GET /api/tasks/{name}}). */
    public JsonNode task(String name) {
        return get(registryService.resolve("/api/tasks/" + encode(name)), "task " + name);
    }

    /** A task's jobs side by side, newest first. */
    public JsonNode taskRuns(String name) {
        return get(registryService.resolve("/api/tasks/" + encode(name) + "/runs"), "runs of task " + name);
    }

    /** Sends {@code body} as JSON with {@code method}; a refusal becomes an exception listing every problem. */
    private JsonNode sendJson(String method, URI uri, Object body, String what) {
        try {
            return sendText(method, uri, "application/json", mapper.writeValueAsString(body), what);
        } catch (IOException e) {
            throw new PlatformClientException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private JsonNode sendText(String method, URI uri, String contentType, String body, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .header("Authorization", authorization)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request, what);
    }

    public JobSubmission submitJob(JobRequest job) {
        JsonNode answer = sendJson("POST", registryService.resolve("/api/jobs"), job, "submit job");
        try {
            return mapper.treeToValue(answer, JobSubmission.class);
        } catch (IOException e) {
            throw new PlatformClientException("cannot submit the job: " + e.getMessage(), e);
        }
    }

    public JobStatus job(String jobId) {
        try {
            return mapper.treeToValue(get(registryService.resolve("/api/jobs/" + encode(jobId)), "job " + jobId),
                    JobStatus.class);
        } catch (IOException e) {
            throw new PlatformClientException("cannot read job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** The registered model versions a job produced (usually one, once training completed). */
    public List<JsonNode> modelsForJob(String jobId) {
        JsonNode array = get(registryService.resolve("/api/models?jobId=" + encode(jobId)), "models of job " + jobId);
        List<JsonNode> models = new ArrayList<>();
        array.forEach(models::add);
        return models;
    }

    public JsonNode model(String id) {
        return get(registryService.resolve("/api/models/" + encode(id)), "model " + id);
    }

    /**
     * Polls until the job's model version carries evaluation metrics and returns that registry entry; fails
     * with the job's failure reason when it FAILED, or when the timeout passes.
     */
    public JsonNode awaitEvaluatedModel(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        while (true) {
            last = job(jobId);
            if ("FAILED".equals(last.status())) {
                throw new PlatformClientException("job " + jobId + " failed: "
                        + (last.failureReason() == null ? "(no reason given)" : last.failureReason()), 200, List.of());
            }
            for (JsonNode model : modelsForJob(jobId)) {
                JsonNode metrics = model.get("evaluationMetrics");
                if (metrics != null && !metrics.isNull() && !metrics.isEmpty()) {
                    return model;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new PlatformClientException("job " + jobId + " was not evaluated within " + timeout.toSeconds()
                        + " s (status " + last.status() + ")", -1, List.of());
            }
            sleep(pollInterval);
        }
    }

    /**
     * Follows a job's {@code training-progress} events from a new consumer group (so from the start of the
     * topic), handing each of this job's events to {@code onProgress}, until its last step was reported, the
     * registry says the job is past training, or the timeout passes. Returns the last event seen, or null.
     */
    public TrainingProgress followProgress(String bootstrapServers, String jobId, Consumer<TrainingProgress> onProgress,
                                           Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "finetune-cli-progress-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextStatusCheck = 0;
        TrainingProgress last = null;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.TRAINING_PROGRESS));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!jobId.equals(r.key())) {
                        continue;
                    }
                    try {
                        TrainingProgress progress = EventCodec.decode(r.value(), TrainingProgress.class);
                        if (jobId.equals(progress.jobId())) {
                            last = progress;
                            onProgress.accept(progress);
                        }
                    } catch (InvalidEventException e) {
                        System.err.println("skipping an invalid progress record: " + e.getMessage());
                    }
                }
                if (last != null && last.totalSteps() > 0 && last.step() >= last.totalSteps()) {
                    return last;
                }
                if (System.nanoTime() > nextStatusCheck) {
                    nextStatusCheck = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                    String status = job(jobId).status();
                    if (!"QUEUED".equals(status) && !"RUNNING".equals(status)) {
                        // Past training: drain what is already on the topic, then stop.
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                            if (jobId.equals(r.key())) {
                                try {
                                    last = EventCodec.decode(r.value(), TrainingProgress.class);
                                    onProgress.accept(last);
                                } catch (InvalidEventException ignored) {
                                    // reported above for live records; a final straggler is not worth a line
                                }
                            }
                        }
                        return last;
                    }
                }
            }
        }
        return last;
    }

    /** One line for a progress event, e.g. "step  40/120  epoch 1  train loss 1.2345  val loss 1.3000  812 tok/s". */
    public static String describe(TrainingProgress p) {
        return new ProgressUpdate(p.step(), p.totalSteps(), p.epoch(), p.trainLoss(), p.validationLoss(),
                p.learningRate(), p.tokensPerSecond()).summary();
    }

    private JsonNode get(URI uri, String what) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("Authorization", authorization).GET().build();
        return send(request, what);
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PlatformClientException("cannot " + what + ": no answer from " + request.uri().getAuthority()
                    + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformClientException("interrupted while trying to " + what, e);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            List<String> problems = new ArrayList<>();
            String error = "HTTP " + response.statusCode();
            if (body instanceof ObjectNode o) {
                if (o.hasNonNull("error")) {
                    error += " " + o.get("error").asText();
                }
                if (o.has("problems")) {
                    o.get("problems").forEach(n -> problems.add(n.asText()));
                }
            } else if (!response.body().isBlank()) {
                error += " " + abbreviate(response.body());
            }
            throw new PlatformClientException("cannot " + what + ": " + error, response.statusCode(), problems);
        }
        return body;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(body);
        }
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformClientException("interrupted", e);
        }
    }
}
