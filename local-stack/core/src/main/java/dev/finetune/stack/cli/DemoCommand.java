package dev.finetune.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.stack.LocalStack;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import dev.finetune.stack.client.PlatformClient;
import dev.finetune.stack.demo.DemoBaseModel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One request through the whole pipeline: upload, train, evaluate, register; with timings. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs one fine-tuning job through the whole platform: starts the stack if none is running, "
                + "uploads examples/datasets/sentiment.jsonl, submits a job, follows its training progress, and "
                + "prints the evaluation metrics, the registry entry and how long each phase took.",
                "A stack the demo started is stopped at the end unless --keep-running is given."})
class DemoCommand implements Callable<Integer> {

    /** The demo dataset's prompt for the base model without fine-tuning; the answer (a label) follows it. */
    static final String BASELINE_PROMPT = "Review: {text}\nIs this review positive or negative?";

    @Mixin
    StackOptions options;

    @Option(names = "--keep-running", description = "Leave the stack running after the demo.")
    boolean keepRunning;

    @Option(names = "--dataset", paramLabel = "FILE.jsonl",
            description = "Labelled examples to upload (default: <repo>/examples/datasets/sentiment.jsonl).")
    Path dataset;

    @Option(names = "--model-name", defaultValue = "sentiment", description = "Registered model name (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--base-model", defaultValue = DemoBaseModel.NAME,
            description = "Base model (default: ${DEFAULT-VALUE}, pre-trained here on first use; tiny-random starts "
                    + "from random weights).")
    String baseModel;

    @Option(names = "--pretrain-steps", defaultValue = "" + DemoBaseModel.DEFAULT_STEPS,
            description = "Steps of pre-training when " + DemoBaseModel.NAME + " is built (default: ${DEFAULT-VALUE}).")
    int pretrainSteps;

    @Option(names = "--method", defaultValue = "FULL", description = "FULL, INSTRUCTION or LORA (default: ${DEFAULT-VALUE}).")
    TrainingMethod method;

    @Option(names = "--epochs", defaultValue = "5",
            description = "Training epochs (default: ${DEFAULT-VALUE}; a random start needs about 20).")
    int epochs;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "30",
            description = "Give up when training and evaluation take longer (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        LocalStack.requireServiceJars(config);
        Path jsonl = dataset != null ? dataset : config.repoRoot().resolve("examples/datasets/sentiment.jsonl");
        if (!Files.isRegularFile(jsonl)) {
            throw new IllegalArgumentException("dataset " + jsonl + " not found (give one with --dataset)");
        }
        Map<String, Double> timings = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        Optional<StackState> running = StackControl.running(config);
        StackState state;
        AtomicBoolean startedHere = new AtomicBoolean(false);
        if (running.isPresent() && StackState.UP.equals(running.get().state())) {
            state = running.get();
            System.out.println("== using the running stack (supervisor pid " + state.supervisorPid() + ")");
        } else {
            System.out.println("== starting the stack");
            state = StackControl.startDetached(config, false, System.out, Duration.ofMinutes(10));
            startedHere.set(true);
            timings.put("stack start", seconds(t0));
        }
        StackConfig effective = StackControl.effective(config, state);
        Thread stopOnCtrlC = new Thread(() -> stopIfOurs(config, startedHere), "demo-stop-stack");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
        try {
            runPipeline(effective, jsonl, timings);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
            stopIfOurs(config, startedHere);
        }
        System.out.println();
        System.out.println("== timings");
        timings.forEach((phase, s) -> System.out.printf("  %-12s %7.1f s%n", phase, s));
        return 0;
    }

    private void runPipeline(StackConfig c, Path jsonl, Map<String, Double> timings) {
        PlatformClient client = new PlatformClient(URI.create(c.serviceUrl(PlatformService.DATASET)),
                URI.create(c.serviceUrl(PlatformService.REGISTRY)), TokenCommand.forCli(c));

        System.out.println("== dashboard (live curves, the model page, comparisons): open");
        System.out.println("  " + TokenCommand.dashboardLink(c));
        System.out.println("== uploading " + jsonl);
        // the prompt the base model is also scored with ("prompt engineering first"), on the same test split, alone
        // and after four solved training examples (few-shot)
        client.putDatasetSettings(modelName, Map.of("baselinePrompt", BASELINE_PROMPT, "baselineShots", 4));
        long t = System.nanoTime();
        PlatformClient.DatasetUpload upload = client.uploadDataset(modelName, TaskType.CLASSIFICATION, jsonl);
        timings.put("upload", seconds(t));
        System.out.println("  dataset " + upload.dataset().name() + " version " + upload.dataset().version()
                + ", labels " + upload.labels() + ", splits " + upload.counts());

        if (baseModel.equals(DemoBaseModel.NAME)) {
            t = System.nanoTime();
            Path folder = DemoBaseModel.ensureBuilt(c.dataDir(), pretrainSteps,
                    update -> System.out.println("  " + update.summary()), line -> System.out.println("== " + line));
            if (DemoBaseModel.register(new ObjectStore(c.s3Endpoint(), c.s3AccessKey(), c.s3SecretKey()), folder)) {
                System.out.println("  stored as s3://models/base/" + DemoBaseModel.NAME + "/");
            }
            timings.put("base model", seconds(t));
        }

        Map<String, Object> gate = Map.of("metric", "accuracy", "minGainOverBaseline", 0.1,
                "minGainOverProduction", 0.0, "targetStage", "production");
        client.putPromotionPolicy(modelName, gate);
        System.out.println("  promotion gate: accuracy at least 0.1 above the baseline and not below production");

        System.out.println("== submitting a " + method + " fine-tuning job of " + baseModel);
        Hyperparameters h = new Hyperparameters(epochs, null, null, null, null, null, null, null, null);
        PlatformClient.JobSubmission job = client.submitJob(new PlatformClient.JobRequest(modelName, upload.dataset(),
                baseModel, method, h));
        System.out.println("  job " + job.jobId() + " " + job.status());

        System.out.println("== training (progress from the training-progress topic)");
        t = System.nanoTime();
        long deadline = System.nanoTime() + Duration.ofMinutes(timeoutMinutes).toNanos();
        TrainingProgress last = client.followProgress(c.kafkaBootstrapServers(), job.jobId(),
                p -> System.out.println("  " + PlatformClient.describe(p)), remaining(deadline));
        timings.put("training", seconds(t));
        if (last == null) {
            System.out.println("  (no progress events seen)");
        }

        System.out.println("== evaluating");
        t = System.nanoTime();
        JsonNode model = client.awaitEvaluatedModel(job.jobId(), remaining(deadline));
        timings.put("evaluation", seconds(t));

        var pretty = EventCodec.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT).writer();
        try {
            System.out.println("== evaluation metrics");
            System.out.println(pretty.writeValueAsString(model.get("evaluationMetrics")));
            printGain(model.get("evaluationMetrics"));
            System.out.println("== promotion gate: " + model.path("gateDecision").asText());
            System.out.println("  stage: " + model.path("stage").asText());
            System.out.println("== registry entry");
            System.out.println(pretty.writeValueAsString(model));
        } catch (java.io.IOException e) {
            System.out.println(model.toPrettyString());
        }
    }

    /**
     * Each metric the base model was also scored on: alone, with the dataset's prompt (zero-shot and few-shot),
     * fine-tuned, and the gain over the base model alone.
     */
    private void printGain(JsonNode metrics) {
        if (metrics == null || !metrics.fieldNames().hasNext()) {
            return;
        }
        boolean header = false;
        for (String name : List.of("accuracy", "macroF1", "loss", "perplexity")) {
            JsonNode base = metrics.get("baseline." + name);
            JsonNode prompted = metrics.get("prompt." + name);
            JsonNode fewShot = metrics.get("fewshot." + name);
            JsonNode tuned = metrics.get(name);
            if (base == null || tuned == null) {
                continue;
            }
            if (!header) {
                System.out.println("== gain over the base model " + baseModel + " (same test split)");
                System.out.printf("  %-11s %10s %13s %13s %11s %10s%n", "metric", "base", "base+prompt",
                        "base+4-shot", "fine-tuned", "change");
                header = true;
            }
            System.out.printf("  %-11s %10.4f %13s %13s %11.4f %+10.4f%n", name, base.asDouble(), orDash(prompted),
                    orDash(fewShot), tuned.asDouble(), tuned.asDouble() - base.asDouble());
        }
    }

    private void stopIfOurs(StackConfig config, AtomicBoolean startedHere) {
        if (startedHere.getAndSet(false)) {
            if (keepRunning) {
                System.out.println("== the stack keeps running; stop it with `finetune down`");
                return;
            }
            StackState.read(config.stateFile()).ifPresent(s -> {
                System.out.println("== stopping the stack the demo started (and its dashboard; --keep-running keeps "
                        + "both up)");
                StackControl.stop(config, s, System.out, Duration.ofSeconds(120));
            });
        }
    }

    private static String orDash(JsonNode value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value.asDouble());
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** What is left of one budget shared by training and evaluation. */
    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
