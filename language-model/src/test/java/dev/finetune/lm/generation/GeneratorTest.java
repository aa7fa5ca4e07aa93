package dev.finetune.lm.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.TinyModels;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation with the KV cache against plain recomputation, batching, stopping and sampling. */
class GeneratorTest {

    @TempDir
    static Path temp;

    private NDManager manager;
    private CausalLm model;
    private Generator generator;

    @BeforeEach
    void load() {
        DjlRuntime.disableGradientRecording();
        manager = DjlRuntime.engine().newBaseManager();
        Path folder = temp.resolve("llama");
        if (!folder.toFile().exists()) {
            TinyModels.write(folder, TinyModels.llama(), 21, 0.3f);
        }
        model = ModelFolder.load(folder, null, manager);
        generator = new Generator(model, manager);
    }

    @AfterEach
    void release() {
        manager.close();
    }

    /** Greedy decoding the slow way: the whole sequence again for every new token. */
    private int[] recompute(int[] prompt, int steps) {
        ParameterStore inference = new ParameterStore(manager, false);
        int[] sequence = prompt.clone();
        for (int i = 0; i < steps; i++) {
            try (NDManager scratch = manager.newSubManager()) {
                long[] ids = Arrays.stream(sequence).asLongStream().toArray();
                NDArray logits = model.logits(inference, scratch.create(ids, new Shape(1, ids.length)), null, null,
                        null, false);
                int next = TokenSampler.argmax(logits.get("0, -1, :").toFloatArray());
                sequence = Arrays.copyOf(sequence, sequence.length + 1);
                sequence[sequence.length - 1] = next;
            }
        }
        return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
    }

    @Test
    void greedyWithTheCacheEqualsFullRecomputation() {
        int[] prompt = {256, 72, 101, 108, 108, 111};

        int[] generated = generator.generate(List.of(prompt), SamplingConfig.greedy(20), Set.of(), 258).get(0);

        assertThat(generated).hasSize(20).containsExactly(recompute(prompt, 20));
    }

    @Test
    void aPromptGeneratesTheSameAloneAndInABatchOfOtherLengths() {
        int[] shortPrompt = {256, 65};
        int[] longPrompt = {256, 84, 104, 101, 32, 113, 117, 105, 99, 107};

        List<int[]> batch = generator.generate(List.of(shortPrompt, longPrompt), SamplingConfig.greedy(8), Set.of(), 258);

        assertThat(batch.get(0)).containsExactly(recompute(shortPrompt, 8));
        assertThat(batch.get(1)).containsExactly(recompute(longPrompt, 8));
    }

    @Test
    void generationStopsAtAnEndOfSequenceIdAndKeepsIt() {
        int[] prompt = {256, 72, 101, 108, 108, 111};
        int[] free = recompute(prompt, 10);
        int stop = free[3];

        int[] generated = generator.generate(List.of(prompt), SamplingConfig.greedy(10), Set.of(stop), 258).get(0);

        int firstStop = 0;
        while (free[firstStop] != stop) {
            firstStop++;
        }
        assertThat(generated).containsExactly(Arrays.copyOf(free, firstStop + 1));
    }

    @Test
    void samplingRepeatsWithItsSeedAndTopKOneIsGreedy() {
        int[] prompt = {256, 87, 104, 121};
        SamplingConfig hot = new SamplingConfig(12, 1.5, 0, 0.95, 42);

        int[] first = generator.generate(List.of(prompt), hot, Set.of(), 258).get(0);
        int[] again = generator.generate(List.of(prompt), hot, Set.of(), 258).get(0);
        int[] topOne = generator.generate(List.of(prompt), new SamplingConfig(12, 1.0, 1, 1.0, 7), Set.of(), 258).get(0);

        assertThat(again).containsExactly(first);
        assertThat(topOne).containsExactly(recompute(prompt, 12));
    }

    @Test
    void samplingFollowsTheDistribution() {
        TokenSampler sampler = new TokenSampler(new SamplingConfig(1, 1.0, 0, 1.0, 3));
        float[] logits = {0f, (float) Math.log(3), -100f}; // probabilities 1/4, 3/4, ~0
        int[] counts = new int[3];
        for (int i = 0; i < 4000; i++) {
            counts[sampler.next(logits)]++;
        }
        assertThat(counts[1] / 4000.0).isBetween(0.72, 0.78);
        assertThat(counts[2]).isZero();

        TokenSampler nucleus = new TokenSampler(new SamplingConfig(1, 1.0, 0, 0.7, 3));
        for (int i = 0; i < 100; i++) {
            assertThat(nucleus.next(logits)).isEqualTo(1); // 3/4 alone reaches top-p 0.7
        }
    }

    @Test
    void promptsThatDoNotFitAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> generator.generate(List.of(new int[65]), SamplingConfig.greedy(1), Set.of(), 258))
                .withMessageContaining("exceeds the model's context length 64");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new SamplingConfig(-1, -0.5, -2, 0, 1))
                .withMessageContaining("maxNewTokens").withMessageContaining("temperature")
                .withMessageContaining("topK").withMessageContaining("topP");
    }
}
