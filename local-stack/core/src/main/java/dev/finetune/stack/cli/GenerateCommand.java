package dev.finetune.stack.cli;

import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.scoring.LanguageModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Generates text from a model folder in Hugging Face layout, the ones trained here or made elsewhere. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Loads a model folder (config.json, model.safetensors or shards, tokenizer.json) and continues "
                + "a prompt. Needs no running stack.",
                "Greedy unless a sampling option (--temperature, --top-k, --top-p) is given; then sampling with "
                        + "temperature 1 unless set, seeded by --seed. Stops at the tokenizer's end tokens."})
class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "The model folder.")
    Path model;

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
        try (LanguageModel lm = LanguageModel.load(model)) {
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
}
