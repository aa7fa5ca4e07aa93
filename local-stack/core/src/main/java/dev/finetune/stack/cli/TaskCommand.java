package dev.finetune.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.storage.BaseModelLayout;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.JsonLines;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.PromptTemplate;
import dev.finetune.lm.training.Preflight;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import dev.finetune.stack.client.PlatformClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Declarative tasks on the running stack: check and apply a task file, run it, compare its runs. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "Task files (see schemas/task.schema.json and examples/tasks/): validate, apply, run, compare.",
        subcommands = {TaskCommand.Validate.class, TaskCommand.Apply.class, TaskCommand.Check.class,
                TaskCommand.Run.class, TaskCommand.Runs.class})
class TaskCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: `finetune task validate|apply FILE` or "
                + "`finetune task check|run|runs NAME`");
    }

    /** Reads and checks a task file, printing every problem; the file's text when it is valid. */
    static String checked(Path file, PrintStream err) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        TaskSpecs.Checked checked = TaskSpecs.read(text);
        if (!checked.valid()) {
            checked.problems().forEach(p -> err.println(file + ": " + p));
            throw new IllegalArgumentException(file + " has " + checked.problems().size()
                    + " problem(s), listed above; nothing was sent");
        }
        return text;
    }

    /** The running stack's configuration. */
    static StackConfig running(StackOptions options) {
        StackConfig config = options.toConfig();
        Optional<StackState> running = StackControl.running(config);
        if (running.isEmpty() || !StackState.UP.equals(running.get().state())) {
            throw new IllegalArgumentException("no stack is up: start one with `finetune up`");
        }
        return StackControl.effective(config, running.get());
    }

    /** A client of the running stack, as the person running the CLI. */
    static PlatformClient client(StackOptions options) {
        return client(running(options));
    }

    private static PlatformClient client(StackConfig c) {
        return new PlatformClient(URI.create(c.serviceUrl(PlatformService.DATASET)),
                URI.create(c.serviceUrl(PlatformService.REGISTRY)), TokenCommand.forCli(c));
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"The pre-flight check of a task's newest revision on its dataset, for each variant, before "
                    + "any training time is spent (the trainer runs it again at the start of every job).",
                    "Renders every split as the trainer will and lists, with split and line: labels outside the set, "
                            + "examples shared between splits, examples longer than the model's context, responses "
                            + "outside the sequence length or cut before their end token. Exit code 2 when a "
                            + "variant would fail."})
    static class Check implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            StackConfig c = running(options);
            TaskSpec spec = EventCodec.mapper().treeToValue(client(c).task(name).path("spec"), TaskSpec.class);
            ObjectStore store = new ObjectStore(c.s3Endpoint(), c.s3AccessKey(), c.s3SecretKey());
            String version = spec.dataset().versionOrLatest();
            if (TaskSpec.LATEST.equals(version)) {
                S3Uri head = DatasetLayout.head(spec.dataset().name());
                if (!store.exists(head)) {
                    throw new IllegalArgumentException("dataset " + spec.dataset().name() + " has no version yet");
                }
                version = new String(store.readBytes(head), StandardCharsets.UTF_8).strip();
            }
            DatasetRef ref = new DatasetRef(spec.dataset().name(), version);
            DatasetVersionCreated dataset = DatasetLayout.readManifest(store, ref)
                    .orElseThrow(() -> new IllegalArgumentException("dataset " + ref.name() + " has no version "
                            + ref.version()));
            Map<String, List<Map<String, Object>>> splits = new LinkedHashMap<>();
            splits.put("train", JsonLines.read(store.readVerified(dataset.train().artifact())));
            splits.put("validation", JsonLines.read(store.readVerified(dataset.validation().artifact())));
            splits.put("test", JsonLines.read(store.readVerified(dataset.test().artifact())));
            boolean failed = false;
            for (TaskSpec.Run run : TaskSpecs.runs(spec)) {
                Hyperparameters h = (run.hyperparameters() == null ? Hyperparameters.DEFAULTS : run.hyperparameters())
                        .withDefaults();
                BaseModel base = tokenizerOf(store, run.baseModel(), c.dataDir().resolve("models"));
                ExampleFormat format = new ExampleFormat(dataset.task() == TaskType.CLASSIFICATION,
                        PromptTemplate.forJob(h.promptTemplate(), run.method() == TrainingMethod.INSTRUCTION,
                                base.chatTemplate().orElse(null)));
                Preflight.Report report = Preflight.check(splits, format, base.tokenizer(), h.sequenceLength(),
                        base.config().contextLength(),
                        dataset.labels() == null ? Set.of() : Set.copyOf(dataset.labels()));
                System.out.println("variant " + run.variant() + " on " + ref.name() + " " + ref.version() + ": "
                        + (report.passed() ? "passes" : "FAILS"));
                report.failures().forEach(f -> System.out.println("  fails: " + f));
                report.warnings().forEach(w -> System.out.println("  warning: " + w));
                failed |= !report.passed();
            }
            return failed ? FinetuneCli.EXIT_INVALID : 0;
        }

        /** The base model's config and tokenizer (its JSON files only, fetched once under {@code cache}). */
        private static BaseModel tokenizerOf(ObjectStore store, String baseModel, Path cache) {
            if (baseModel.equals(BaseModelLayout.TINY_RANDOM)) {
                return BaseModel.resolve(baseModel);
            }
            S3Uri prefix = BaseModelLayout.prefix(baseModel);
            Path folder = cache.resolve("tokenizer-" + prefix.key().replaceAll("[^A-Za-z0-9._-]", "_"));
            store.downloadFolder(prefix, folder, relative -> relative.endsWith(".json"));
            return BaseModel.resolve(folder.toString());
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a task file against the schema and the task rules; prints every problem.")
    static class Validate implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE.yaml")
        Path file;

        @Override
        public Integer call() {
            checked(file, System.err);
            System.out.println(file + ": valid");
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Checks a task file, then registers it (a new revision when it changed).")
    static class Apply implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Parameters(index = "0", paramLabel = "FILE.yaml")
        Path file;

        @Override
        public Integer call() {
            String text = checked(file, System.err);
            String name = TaskSpecs.read(text).spec().name();
            JsonNode revision = client(options).applyTask(name, text);
            System.out.println("task " + name + " revision " + revision.path("revision").asInt()
                    + " (applied by " + revision.path("createdBy").asText() + " at "
                    + revision.path("createdAt").asText() + ")");
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Queues one training job per variant of the task's newest revision.")
    static class Run implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode started = client(options).runTask(name);
            for (JsonNode job : started.path("jobs")) {
                System.out.println("  " + job.path("variant").asText() + "  job " + job.path("jobId").asText());
            }
            started.path("notQueued").forEach(n -> System.err.println("not queued: " + n.asText()));
            return started.path("notQueued").isEmpty() ? 0 : FinetuneCli.EXIT_FAILED;
        }
    }

    @Command(name = "runs", mixinStandardHelpOptions = true,
            description = "The task's jobs side by side: status, main metric, baseline, gain, time, tokens.")
    static class Runs implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode runs = client(options).taskRuns(name);
            System.out.printf("%-16s %3s %-10s %-10s %8s %8s %8s %8s %10s  %s%n", "variant", "rev", "status", "metric",
                    "value", "baseline", "gain", "seconds", "tokens", "job");
            for (JsonNode r : runs) {
                System.out.printf("%-16s %3d %-10s %-10s %8s %8s %8s %8s %10s  %s%s%n", r.path("variant").asText(),
                        r.path("revision").asInt(), r.path("status").asText(), r.path("metric").asText(),
                        number(r.path("value"), "%.4f"), number(r.path("baseline"), "%.4f"),
                        number(r.path("gainOverBaseline"), "%+.4f"), number(r.path("durationSeconds"), "%.1f"),
                        number(r.path("tokens"), "%.0f"), r.path("jobId").asText(),
                        r.path("best").asBoolean() ? "  <- best" : "");
            }
            return 0;
        }

        private static String number(JsonNode n, String format) {
            return n.isNumber() ? String.format(Locale.ROOT, format, n.asDouble()) : "-";
        }
    }
}
