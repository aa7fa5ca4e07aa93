package dev.finetune.stack.cli;

import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the dashboard's sign-in link for the running local stack. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Prints a sign-in link to the running stack's dashboard (registry-service /dashboard), "
                + "carrying an admin token for you (the stack's owner), valid 12 hours."})
class DashboardCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        Optional<StackState> running = StackControl.running(config);
        if (running.isEmpty() || !StackState.UP.equals(running.get().state())) {
            System.err.println("no stack is up: start one with `finetune up` (or `finetune demo --keep-running`)");
            return 2;
        }
        System.out.println(TokenCommand.dashboardLink(StackControl.effective(config, running.get())));
        return 0;
    }
}
