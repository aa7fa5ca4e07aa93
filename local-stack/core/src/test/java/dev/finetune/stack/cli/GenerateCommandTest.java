package dev.finetune.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.HfConfig;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.scoring.LanguageModel;
import dev.finetune.lm.tokenizer.BpeTrainer;
import dev.finetune.lm.tokenizer.HfTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code finetune generate} on model folders: ours (byte tokenizer) and one in plain Hugging Face layout. */
class GenerateCommandTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, List<String> lines) {}

    private Run run(String... args) {
        GenerateCommand command = new GenerateCommand();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = FinetuneCli.configure(new CommandLine(command)).execute(args);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    private static String joined(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    @Test
    void greedyTextAndIdsOfAHuggingFaceLlamaFolder() throws IOException {
        Path folder = dir.resolve("llama");
        new BpeTrainer(BpeTrainer.Style.LLAMA_BYTE_FALLBACK, 300)
                .train("the cat sat on the mat. the dog sat on the log. ".repeat(50)).writeTo(folder);
        int vocab;
        try (HfTokenizer tokenizer = HfTokenizer.load(folder)) {
            vocab = tokenizer.vocabSize();
        }
        TransformerConfig config = TransformerConfig.llama(vocab, 64, 1, 16, 2, 1, 32);
        ModelFolder.saveRandom(config, HfConfig.toJson(config, 1, 2), folder, 3);

        Run run = run("--model", folder.toString(), "--prompt", "the cat", "--max-new-tokens", "5", "--ids");

        assertThat(run.exitCode()).isZero();
        try (LanguageModel model = LanguageModel.load(folder)) {
            int[] prompt = model.tokenizer().encodeWithTemplate("the cat");
            int[] generated = model.generate(List.of(prompt), SamplingConfig.greedy(5)).get(0);
            assertThat(prompt[0]).isEqualTo(1); // <s>, as Llama's template adds it
            assertThat(run.lines()).containsExactly(model.tokenizer().decode(generated, true),
                    "ids: " + joined(prompt) + "," + joined(generated));
        }
    }

    @Test
    void promptIdsAndSamplingOnOneOfOurModels() {
        BaseModel tiny = BaseModel.random(BaseModel.tinyConfig());
        Path folder = ModelFolder.saveRandom(tiny.config(), tiny.configJson(), dir.resolve("tiny"), 3);

        Run first = run("--model", folder.toString(), "--prompt-ids", "256,72,105", "--max-new-tokens", "8",
                "--temperature", "0.9", "--top-k", "20", "--seed", "4", "--ids");
        Run again = run("--model", folder.toString(), "--prompt-ids", "256,72,105", "--max-new-tokens", "8",
                "--temperature", "0.9", "--top-k", "20", "--seed", "4", "--ids");

        assertThat(first.exitCode()).isZero();
        assertThat(first.lines()).hasSize(2).isEqualTo(again.lines());
        assertThat(first.lines().get(1)).startsWith("ids: 256,72,105,");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        BaseModel tiny = BaseModel.random(BaseModel.tinyConfig());
        Path folder = ModelFolder.saveRandom(tiny.config(), tiny.configJson(), dir.resolve("tiny"), 3);

        assertThat(run("--model", folder.toString(), "--prompt-ids", "1,999").exitCode()).isEqualTo(FinetuneCli.EXIT_INVALID);
        assertThat(run("--model", dir.resolve("nothing").toString(), "--prompt", "x").exitCode())
                .isEqualTo(FinetuneCli.EXIT_INVALID);
        assertThat(run("--model", folder.toString()).exitCode()).isEqualTo(FinetuneCli.EXIT_INVALID); // no prompt
    }
}
