package dev.finetune.stack.cli;

import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Stops a stack found through its stack.json. */
@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Stops the running stack: the services first, then PostgreSQL, S3 and Kafka. Data is kept.")
class DownCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        Optional<StackState> state = StackState.read(config.stateFile());
        if (state.isEmpty()) {
            System.out.println("no stack recorded in " + config.stateFile() + ": nothing to stop");
            return 0;
        }
        if (!state.get().supervisorAlive() && StackState.STOPPED.equals(state.get().state())) {
            System.out.println("the stack is already stopped");
            return 0;
        }
        long t0 = System.nanoTime();
        StackControl.stop(config, state.get(), System.out, Duration.ofSeconds(120));
        System.out.printf("stack stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
