package dev.finetune.stack.cli;

import dev.finetune.stack.LocalStack;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts the stack: in the background by default, or attached until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts Kafka, the S3 server and PostgreSQL, then registry-, dataset-, trainer- and "
                + "evaluator-service, everything under one data folder.",
                "By default the stack runs in the background and this command returns once every health check "
                        + "passes; stop it with `finetune down`."})
class UpCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--foreground", description = "Stay attached; Ctrl-C stops everything.")
    boolean foreground;

    @Option(names = "--servers-only", description = "Start only Kafka, S3 and PostgreSQL (run services yourself).")
    boolean serversOnly;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for everything to be ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        Optional<StackState> running = StackControl.running(config);
        if (running.isPresent()) {
            System.out.println("a stack is already running");
            StackControl.printUrls(StackControl.effective(config, running.get()), running.get(), System.out);
            return 0;
        }
        if (!serversOnly) {
            LocalStack.requireServiceJars(config);
        }
        if (!foreground) {
            StackState state = StackControl.startDetached(config, serversOnly, System.out,
                    Duration.ofSeconds(timeoutSeconds));
            StackControl.printUrls(config, state, System.out);
            return 0;
        }
        return runForeground(config);
    }

    private int runForeground(StackConfig config) {
        LocalStack stack = new LocalStack(config, !serversOnly)
                .serviceTimeout(Duration.ofSeconds(Math.max(60, timeoutSeconds - 60)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the stack...");
            stack.close();
            System.out.println("stack stopped");
            stopped.countDown();
        }, "finetune-up-shutdown"));
        long t0 = System.nanoTime();
        stack.start();
        System.out.printf("stack up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        StackControl.printUrls(config, stack.state(), System.out);
        System.out.println("press Ctrl-C to stop");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
