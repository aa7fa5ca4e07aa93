package dev.finetune.stack.cli;

import dev.finetune.stack.StackException;
import dev.finetune.stack.client.PlatformClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code finetune} command: runs the whole platform on this machine without Docker (real Kafka, an
 * S3 server, PostgreSQL and the four services) and drives it.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, version = "finetune 0.1.0-SNAPSHOT",
        description = "Runs the LLM fine-tuning platform on this machine (no Docker needed) and drives it.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, SubmitCommand.class, ScoreCommand.class,
                GenerateCommand.class, PretrainBaseCommand.class, DemoCommand.class, TokenCommand.class,
                DashboardCommand.class, TaskCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  finetune up               start servers and services in the background",
                "  finetune status           show what runs where",
                "  finetune submit job.json  publish a TrainingRequested event",
                "  finetune demo             sample dataset -> training -> evaluation",
                "  finetune score --metric bleu --hypotheses out.txt --references ref.txt",
                "  finetune generate --model DIR --prompt 'Once upon a time' --max-new-tokens 40",
                "  finetune token create --role operator --name alice --ttl 8h",
                "  finetune dashboard        a sign-in link to the running stack's dashboard",
                "  finetune task apply examples/tasks/sentiment.yaml && finetune task run sentiment",
                "  finetune down             stop everything"})
public class FinetuneCli implements Runnable {

    /** Exit code of a command that could not do its job; the reason is one line on stderr. */
    public static final int EXIT_FAILED = 1;
    /** Exit code for invalid input: bad options, an invalid event file. */
    public static final int EXIT_INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with one-line error reporting: usage errors exit 2, failures exit 1. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new FinetuneCli()));
    }

    /** {@code cli} (the root or one command alone, as tests run it) with this CLI's error reporting. */
    static CommandLine configure(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // "finetune task apply: ..." for a nested command; a command run alone (in tests) by its own name
            String name = commandLine.getCommandSpec().qualifiedName(" ");
            err.println((name.startsWith("finetune") ? name : "finetune " + name) + ": " + reason(e));
            if (System.getenv("FINETUNE_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof IllegalArgumentException ? EXIT_INVALID : EXIT_FAILED;
        });
        return cli;
    }

    static String reason(Throwable e) {
        if (e instanceof StackException || e instanceof PlatformClientException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
