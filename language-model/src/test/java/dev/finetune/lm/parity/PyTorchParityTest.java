package dev.finetune.lm.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.generation.Generator;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.CausalLmLoss;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LoraConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against an independent implementation: tiny checkpoints and their logits, loss and greedy tokens made by
 * plain PyTorch modules written to Hugging Face's semantics ({@code benchmarks/make_parity_fixtures.py}, run with
 * Debian's python3-torch; the outputs are committed so this test needs no Python).
 */
class PyTorchParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float LOGIT_TOLERANCE = 2e-4f;

    private NDManager manager;
    private ParameterStore inference;

    @BeforeEach
    void engine() {
        DjlRuntime.disableGradientRecording();
        manager = DjlRuntime.engine().newBaseManager();
        inference = new ParameterStore(manager, false);
    }

    @AfterEach
    void release() {
        manager.close();
    }

    private static Path fixture(String name) {
        try {
            return Path.of(PyTorchParityTest.class.getResource("/parity/" + name + "/expected.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2", "gpt2-f16", "llama", "llama-bf16", "qwen2"})
    void logitsLossAndGreedyTokensMatchPyTorch(String name) throws IOException {
        Path folder = fixture(name);
        CausalLm model = ModelFolder.load(folder, null, manager);
        assertMatches(model, JSON.readTree(folder.resolve("expected.json").toFile()));
    }

    @Test
    void aPeftAdapterAppliesAsPeftAppliesIt() throws IOException {
        Path folder = fixture("llama-lora");
        LoraConfig lora = ModelFolder.readAdapterConfig(folder);
        CausalLm model = ModelFolder.load(fixture("llama"), lora, manager);
        ModelFolder.loadAdapter(model, folder);

        assertThat(lora.targetModules()).containsExactlyInAnyOrder("q_proj", "v_proj");
        assertMatches(model, JSON.readTree(folder.resolve("expected.json").toFile()));
    }

    private void assertMatches(CausalLm model, JsonNode expected) {
        JsonNode rows = expected.get("input_ids");
        int batch = rows.size();
        int length = rows.get(0).size();
        long[] ids = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = rows.get(b).get(t).asLong();
            }
        }
        NDArray input = manager.create(ids, new Shape(batch, length));
        float[] logits = model.forward(inference, new NDList(input), false).singletonOrThrow().toFloatArray();

        float[] reference = flatten(expected.get("logits"));
        assertThat(logits).hasSameSizeAs(reference);
        float worst = 0;
        for (int i = 0; i < logits.length; i++) {
            worst = Math.max(worst, Math.abs(logits[i] - reference[i]) / Math.max(1f, Math.abs(reference[i])));
        }
        assertThat(worst).as("largest logit difference (relative above 1)").isLessThan(LOGIT_TOLERANCE);

        NDArray row = input.get("0:1, :");
        NDArray rowLogits = model.forward(inference, new NDList(row.get(":, :-1")), false).singletonOrThrow();
        NDArray mask = manager.ones(new Shape(1, length - 1));
        double loss = CausalLmLoss.meanNll(rowLogits, row.get(":, 1:"), mask, length - 1).getFloat();
        assertThat(loss).isCloseTo(expected.get("mean_loss").asDouble(), within(1e-4));

        int promptRow = expected.path("greedy_prompt_row").asInt(0);
        int[] prompt = new int[length];
        for (int t = 0; t < length; t++) {
            prompt[t] = rows.get(promptRow).get(t).asInt();
        }
        JsonNode greedy = expected.get("greedy");
        int[] generated = new Generator(model, manager)
                .generate(List.of(prompt), SamplingConfig.greedy(greedy.size()), Set.of(), 0).get(0);
        int[] reference2 = new int[greedy.size()];
        for (int i = 0; i < reference2.length; i++) {
            reference2[i] = greedy.get(i).asInt();
        }
        assertThat(generated).containsExactly(reference2);
    }

    private static float[] flatten(JsonNode nested) {
        List<Float> values = new java.util.ArrayList<>();
        collect(nested, values);
        float[] flat = new float[values.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = values.get(i);
        }
        return flat;
    }

    private static void collect(JsonNode node, List<Float> into) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, into));
        } else {
            into.add(node.floatValue());
        }
    }
}
