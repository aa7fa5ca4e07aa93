package dev.finetune.stack.cli;

import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.scoring.LanguageModel;
import java.io.PrintStream;
import dev.finetune.contracts.storage.LocalFiles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Generates text from a model folder in Hugging Face layout, the ones trained here (local, or by their s3:// prefix
 * in the running stack) or made elsewhere.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Loads a model folder (config.json, model.safetensors or shards, tokenizer.json) and continues "
                + "a prompt. Needs no running stack.",
                "Greedy unless a sampling option (--temperature, --top-k, --top-p) is given; then sampling with "
                        + "temperature 1 unless set, seeded by --seed. Stops at the tokenizer's end tokens."})
class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR|s3://...",
            description = "The model folder, or its s3:// prefix in the running local stack (e.g. "
                    + "s3://models/<jobId>/model, as the registry lists it), downloaded once under <data-dir>/models/.")
    String model;

    @Mixin
    StackOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = "--prompt", paramLabel = "TEXT",
                description = "Prompt text, encoded as the tokenizer's template does (with <s> for Llama).")
        String text;

        @Option(names = "--prompt-ids", paramLabel = "IDS", split = ",",
                description = "Prompt token ids instead of text, comma-separated, used as given.")
        int[] ids;
    }

    @Option(names = "--max-new-tokens", defaultValue = "32", paramLabel = "N",
            description = "Tokens to generate at most (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (> 0; 0 is greedy).")
    Double temperature;

    @Option(names = "--top-k", paramLabel = "K", description = "Sample among the K most likely tokens.")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P", description = "Sample within cumulative probability P (nucleus).")
    Double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of sampling (default: 0).")
    long seed;

    @Option(names = "--ids", description = "Also print 'ids: ...', the prompt ids then the generated ids.")
    boolean printIds;

    PrintStream out = System.out;

    @Override
    public Integer call() {
        boolean sampling = temperature != null || topK != null || topP != null;
        SamplingConfig config = sampling
                ? new SamplingConfig(maxNewTokens, temperature == null ? 1.0 : temperature, topK == null ? 0 : topK,
                        topP == null ? 1.0 : topP, seed)
                : SamplingConfig.greedy(maxNewTokens);
        try (LanguageModel lm = LanguageModel.load(localFolder())) {
            int[] promptIds = prompt.ids != null ? prompt.ids : lm.tokenizer().encodeWithTemplate(prompt.text);
            if (promptIds.length == 0) {
                throw new IllegalArgumentException("the prompt encodes to no tokens; give some text or --prompt-ids");
            }
            for (int id : promptIds) {
                if (id < 0 || id >= lm.config().vocabSize()) {
                    throw new IllegalArgumentException("--prompt-ids: id " + id + " is outside the model's vocabulary [0, "
                            + lm.config().vocabSize() + ")");
                }
            }
            int[] generated = lm.generate(List.of(promptIds), config).get(0);
            out.println(lm.tokenizer().decode(generated, true));
            if (printIds) {
                int[] all = IntStream.concat(Arrays.stream(promptIds), Arrays.stream(generated)).toArray();
                out.println("ids: " + Arrays.stream(all).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            }
        }
        return 0;
    }

    /** The model as a local folder: the path given, or a verified copy of an s3:// prefix of the running stack. */
    private Path localFolder() {
        if (!model.startsWith("s3://")) {
            return Path.of(model);
        }
        S3Uri prefix = S3Uri.parse(model.endsWith("/") ? model.substring(0, model.length() - 1) : model);
        if (prefix.key().endsWith("/manifest.json")) { // the registry's model reference points at the manifest
            prefix = new S3Uri(prefix.bucket(), prefix.key().substring(0, prefix.key().length() - "/manifest.json".length()));
        }
        StackConfig config = options.toConfig();
        StackConfig effective = StackControl.running(config)
                .filter(state -> StackState.UP.equals(state.state()))
                .map(state -> StackControl.effective(config, state))
                .orElseThrow(() -> new IllegalArgumentException("--model " + model
                        + ": no local stack is running to read it from (start one with 'finetune up')"));
        ObjectStore store = new ObjectStore(effective.s3Endpoint(), effective.s3AccessKey(), effective.s3SecretKey());
        Path folder = config.dataDir().resolve("models").resolve(prefix.bucket() + "-" + prefix.key().replace('/', '-'));
        LocalFiles.deleteQuietly(folder); // fresh each time: the manifest check below is on what was just read
        if (store.list(prefix.bucket(), prefix.key() + "/").isEmpty()) {
            throw new IllegalArgumentException("--model " + model + ": nothing is stored under " + prefix);
        }
        return store.downloadFolder(prefix, folder);
    }
}
