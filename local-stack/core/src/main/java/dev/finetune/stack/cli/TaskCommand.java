package dev.finetune.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.contracts.tasks.TaskSpecs;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import dev.finetune.stack.client.PlatformClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Declarative tasks on the running stack: check and apply a task file, run it, compare its runs. */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = "Task files (see schemas/task.schema.json and examples/tasks/): validate, apply, run, compare.",
        subcommands = {TaskCommand.Validate.class, TaskCommand.Apply.class, TaskCommand.Run.class,
                TaskCommand.Runs.class})
class TaskCommand implements Runnable {

    @Override
    public void run() {
        throw new IllegalArgumentException("say what to do: `finetune task validate|apply FILE` or "
                + "`finetune task run|runs NAME`");
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

    /** A client of the running stack, as the person running the CLI. */
    static PlatformClient client(StackOptions options) {
        StackConfig config = options.toConfig();
        Optional<StackState> running = StackControl.running(config);
        if (running.isEmpty() || !StackState.UP.equals(running.get().state())) {
            throw new IllegalArgumentException("no stack is up: start one with `finetune up`");
        }
        StackConfig c = StackControl.effective(config, running.get());
        return new PlatformClient(URI.create(c.serviceUrl(PlatformService.DATASET)),
                URI.create(c.serviceUrl(PlatformService.REGISTRY)), TokenCommand.forCli(c));
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
