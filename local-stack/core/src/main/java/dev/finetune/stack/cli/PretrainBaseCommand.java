package dev.finetune.stack.cli;

import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import dev.finetune.stack.demo.DemoBaseModel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Builds the demo's base model and, when a stack is running, registers it there. */
@Command(name = "pretrain-base", mixinStandardHelpOptions = true,
        description = {"Pre-trains the demo's base model '" + DemoBaseModel.NAME + "' (a small Llama with its own BPE "
                + "tokenizer) on generated review text, once per machine, into <data-dir>/base-models/. "
                + "When a stack is running, stores it under s3://models/base/" + DemoBaseModel.NAME + "/ so that "
                + "jobs can name it as their baseModel. The demo does this by itself when needed."})
class PretrainBaseCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--steps", defaultValue = "" + DemoBaseModel.DEFAULT_STEPS, description = "Pre-training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        Path folder = DemoBaseModel.ensureBuilt(config.dataDir(), steps,
                update -> System.out.println("  " + update.summary()), line -> System.out.println("== " + line));
        System.out.println("== " + DemoBaseModel.NAME + " is in " + folder);
        Optional<StackState> running = StackControl.running(config);
        if (running.isPresent() && StackState.UP.equals(running.get().state())) {
            StackConfig effective = StackControl.effective(config, running.get());
            ObjectStore store = new ObjectStore(effective.s3Endpoint(), effective.s3AccessKey(), effective.s3SecretKey());
            boolean uploaded = DemoBaseModel.register(store, folder);
            System.out.println("== " + (uploaded ? "stored" : "already stored") + " as s3://models/base/"
                    + DemoBaseModel.NAME + "/");
        }
        return 0;
    }
}
