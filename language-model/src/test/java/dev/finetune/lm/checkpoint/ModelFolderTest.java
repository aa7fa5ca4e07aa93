package dev.finetune.lm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.TinyModels;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.NamedParameter;
import dev.finetune.lm.model.TransformerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hugging Face folders in and out: exact round trips, names, shapes and every refusal with its reason. */
class ModelFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

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

    static Stream<Arguments> families() {
        return Stream.of(
                Arguments.of("gpt2", TinyModels.gpt2()),
                Arguments.of("llama", TinyModels.llama()),
                Arguments.of("qwen2", TinyModels.qwen2()));
    }

    private NDArray logits(CausalLm model) {
        NDArray ids = manager.create(new long[] {256, 3, 1, 4, 1, 5, 9, 2, 6}, new Shape(1, 9));
        return model.forward(inference, new NDList(ids), false).singletonOrThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void saveThenLoadIsExact(String name, TransformerConfig config) {
        Path folder = TinyModels.write(temp.resolve(name), config, 11, 0.2f);
        CausalLm loaded = ModelFolder.load(folder, null, manager);
        Path copy = temp.resolve(name + "-copy");
        TinyModelsCopy.save(loaded, folder, copy);

        CausalLm reloaded = ModelFolder.load(copy, null, manager);

        assertThat(ModelFolder.readConfig(copy)).isEqualTo(config);
        for (int i = 0; i < loaded.namedParameters().size(); i++) {
            NamedParameter a = loaded.namedParameters().get(i);
            NamedParameter b = reloaded.namedParameters().get(i);
            assertThat(b.parameter().getArray().toFloatArray()).as(a.name())
                    .containsExactly(a.parameter().getArray().toFloatArray());
        }
        assertThat(logits(reloaded).toFloatArray()).containsExactly(logits(loaded).toFloatArray());
    }

    @Test
    void gpt2CheckpointsUseHuggingFaceNamesWithConv1dWeightsInputMajor() throws IOException {
        Path folder = TinyModels.write(temp.resolve("gpt2"), TinyModels.gpt2(), 1, 0.02f);

        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            assertThat(file.tensorNames()).contains("transformer.wte.weight", "transformer.wpe.weight",
                    "transformer.h.1.attn.c_attn.weight", "transformer.h.0.mlp.c_proj.bias", "transformer.ln_f.bias");
            assertThat(file.tensorNames()).doesNotContain("lm_head.weight"); // tied
            assertThat(file.info("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(32, 96); // (in, out)
            assertThat(file.info("transformer.h.0.mlp.c_fc.weight").shape()).containsExactly(32, 128);
            assertThat(file.metadata()).containsEntry("format", "pt");
        }
    }

    @Test
    void llamaCheckpointsUseHuggingFaceNames() throws IOException {
        Path folder = TinyModels.write(temp.resolve("llama"), TinyModels.llama(), 1, 0.02f);

        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            assertThat(file.tensorNames()).contains("model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                    "model.layers.1.self_attn.k_proj.weight", "model.layers.1.mlp.gate_proj.weight", "model.norm.weight",
                    "lm_head.weight");
            assertThat(file.info("model.layers.0.self_attn.k_proj.weight").shape()).containsExactly(16, 32); // GQA
        }
    }

    @Test
    void llamaAttentionBiasCoversTheOutputProjectionQwen2sDoesNot() {
        TransformerConfig biasedLlama = new TransformerConfig("llama", ModelFamily.LLAMA, 259, 64, 1, 32, 4, 2, 8, 64,
                1e-5, 10_000, true, false, 0.0);
        List<String> llamaNames = new CausalLm(biasedLlama).namedParameters().stream().map(NamedParameter::name).toList();
        List<String> qwenNames = new CausalLm(TinyModels.qwen2()).namedParameters().stream()
                .map(NamedParameter::name).toList();

        assertThat(llamaNames).contains("model.layers.0.self_attn.q_proj.bias", "model.layers.0.self_attn.o_proj.bias");
        assertThat(qwenNames).contains("model.layers.0.self_attn.v_proj.bias")
                .doesNotContain("model.layers.0.self_attn.o_proj.bias");
    }

    @Test
    void openAiStyleGpt2NamesWithoutTheTransformerPrefixLoadToo() throws IOException {
        Path folder = TinyModels.write(temp.resolve("gpt2"), TinyModels.gpt2(), 5, 0.2f);
        CausalLm original = ModelFolder.load(folder, null, manager);
        Path bare = Files.createDirectories(temp.resolve("bare"));
        Files.copy(folder.resolve("config.json"), bare.resolve("config.json"));
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (TensorInfo info : file.tensors()) {
                writer.add(info.name().replaceFirst("^transformer\\.", ""), file.readFloats(info.name()), info.shape());
            }
            writer.add("h.0.attn.bias", new float[] {1}, 1); // a stored causal-mask buffer, skipped
        }
        writer.write(bare.resolve("model.safetensors"));

        assertThat(logits(ModelFolder.load(bare, null, manager)).toFloatArray())
                .containsExactly(logits(original).toFloatArray());
    }

    @Test
    void halfPrecisionWeightsLoadAsFloat32() throws IOException {
        Path folder = TinyModels.write(temp.resolve("llama"), TinyModels.llama(), 5, 0.2f);
        Path half = Files.createDirectories(temp.resolve("half"));
        Files.copy(folder.resolve("config.json"), half.resolve("config.json"));
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (TensorInfo info : file.tensors()) {
                writer.add(info.name(), Dtype.F16, file.readFloats(info.name()), info.shape());
            }
        }
        writer.write(half.resolve("model.safetensors"));

        NDArray full = logits(ModelFolder.load(folder, null, manager));
        NDArray fromHalf = logits(ModelFolder.load(half, null, manager));

        assertThat(fromHalf.sub(full).abs().max().getFloat()).isLessThan(0.05f).isGreaterThan(0f);
    }

    @Test
    void missingAndMisshapenTensorsAreAllNamed() throws IOException {
        Path folder = TinyModels.write(temp.resolve("llama"), TinyModels.llama(), 5, 0.2f);
        Path broken = Files.createDirectories(temp.resolve("broken"));
        Files.copy(folder.resolve("config.json"), broken.resolve("config.json"));
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (TensorInfo info : file.tensors()) {
                if (info.name().equals("model.norm.weight")) {
                    continue;
                }
                if (info.name().equals("model.layers.1.mlp.up_proj.weight")) {
                    writer.add(info.name(), new float[64 * 31], 64, 31);
                    continue;
                }
                writer.add(info.name(), file.readFloats(info.name()), info.shape());
            }
        }
        writer.write(broken.resolve("model.safetensors"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> ModelFolder.load(broken, null, manager))
                .withMessageContaining("missing tensor 'model.norm.weight'")
                .withMessageContaining("tensor 'model.layers.1.mlp.up_proj.weight' has shape [64, 31], the config needs [64, 32]");
    }

    @Test
    void unknownArchitecturesAndUnsupportedOptionsAreRefusedByName() {
        ObjectNode bert = JSON.createObjectNode().put("model_type", "bert");
        bert.putArray("architectures").add("BertModel");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HfConfig.parse(bert, "config.json"))
                .withMessageContaining("unknown architecture (model_type 'bert', architectures 'BertModel')")
                .withMessageContaining("gpt2, llama, mistral, qwen2");

        ObjectNode llama = HfConfig.toJson(TinyModels.llama(), 1, 2);
        llama.put("hidden_act", "gelu");
        llama.putObject("rope_scaling").put("rope_type", "llama3");
        llama.remove("num_hidden_layers");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HfConfig.parse(llama, "config.json"))
                .withMessageContaining("missing 'num_hidden_layers'")
                .withMessageContaining("hidden_act 'gelu' is not supported")
                .withMessageContaining("rope_scaling of type 'llama3' is not supported");
    }

    @Test
    void configJsonRoundTripsAndArchitecturesAloneAreEnough() {
        for (TransformerConfig config : List.of(TinyModels.gpt2(), TinyModels.llama(), TinyModels.qwen2())) {
            assertThat(HfConfig.parse(HfConfig.toJson(config, null, null), "x")).isEqualTo(config);
        }
        ObjectNode noType = HfConfig.toJson(TinyModels.llama(), null, null);
        noType.remove("model_type");
        assertThat(HfConfig.parse(noType, "x").modelType()).isEqualTo("llama");
    }

    @Test
    void anAdapterSavesInPeftLayoutAndLoadsBack() throws IOException {
        LoraConfig lora = LoraConfig.attention(ModelFamily.GPT2, 4, 16, 0.05);
        Path folder = TinyModels.write(temp.resolve("gpt2"), TinyModels.gpt2(), 5, 0.2f);
        CausalLm adapted = ModelFolder.load(folder, lora, manager);
        adapted.namedParameters().stream().filter(named -> CausalLm.isAdapter(named.name())).forEach(named ->
                manager.randomNormal(named.parameter().getArray().getShape()).copyTo(named.parameter().getArray()));
        Path adapterDir = temp.resolve("adapter");

        ModelFolder.saveAdapter(adapted, adapterDir, "base/gpt2");
        LoraConfig read = ModelFolder.readAdapterConfig(adapterDir);
        CausalLm reloaded = ModelFolder.load(folder, read, manager);
        ModelFolder.loadAdapter(reloaded, adapterDir);

        assertThat(read).isEqualTo(lora);
        assertThat(logits(reloaded).toFloatArray()).containsExactly(logits(adapted).toFloatArray());
        String config = Files.readString(adapterDir.resolve("adapter_config.json"));
        assertThat(config).contains("\"peft_type\" : \"LORA\"", "\"fan_in_fan_out\" : true",
                "\"base_model_name_or_path\" : \"base/gpt2\"");
        try (SafetensorsFile file = SafetensorsFile.open(adapterDir.resolve("adapter_model.safetensors"))) {
            assertThat(file.tensorNames()).contains("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight",
                    "base_model.model.transformer.h.1.attn.c_proj.lora_B.weight");
            assertThat(file.tensorNames()).noneMatch(tensor -> tensor.contains("mlp"));
            assertThat(file.info("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight").shape())
                    .containsExactly(96, 4);
        }
    }

    /** Saving what was loaded, as a fine-tune does. */
    private static final class TinyModelsCopy {
        static void save(CausalLm model, Path from, Path to) {
            try {
                Files.createDirectories(to);
                Files.copy(from.resolve("config.json"), to.resolve("config.json"));
                ModelFolder.saveWeights(model, to.resolve("model.safetensors"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
