package dev.finetune.lm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.TinyModels;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Block tier: the properties every causal LM here must have, for GPT-2, Llama (GQA) and Qwen2 shapes. */
class CausalLmTest {

    private NDManager manager;
    private ParameterStore inference;

    @BeforeEach
    void engine() {
        DjlRuntime.engine().setRandomSeed(7);
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

    /** A model with weights large enough (std 0.3) that differences between computations show. */
    private CausalLm model(TransformerConfig config, LoraConfig lora) {
        CausalLm model = new CausalLm(config, lora);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        for (NamedParameter named : model.namedParameters()) {
            NDArray array = named.parameter().getArray();
            manager.randomNormal(0, 0.3f, array.getShape(), DataType.FLOAT32).copyTo(array);
        }
        return model;
    }

    private NDArray ids(long... values) {
        return manager.create(values, new Shape(1, values.length));
    }

    private static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void mapsTokenIdsToOneLogitPerVocabularyEntry(String name, TransformerConfig config) {
        CausalLm model = model(config, null);
        NDArray batch = manager.randomInteger(0, 259, new Shape(3, 10), DataType.INT64);

        NDArray logits = model.forward(inference, new NDList(batch), false).singletonOrThrow();

        assertThat(logits.getShape()).isEqualTo(new Shape(3, 10, 259));
        assertThat(model.parameterCount()).isEqualTo(config.parameterCount());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void changingALaterTokenLeavesEarlierLogitsUnchanged(String name, TransformerConfig config) {
        CausalLm model = model(config, null);
        long[] tokens = {256, 72, 101, 108, 108, 111, 33, 10};
        long[] changed = tokens.clone();
        changed[5] = 200;

        NDArray before = model.logits(inference, ids(tokens), null, null, null, false);
        NDArray after = model.logits(inference, ids(changed), null, null, null, false);

        NDIndex earlier = new NDIndex(":, :5, :");
        NDIndex later = new NDIndex(":, 5:, :");
        assertThat(maxDifference(before.get(earlier), after.get(earlier))).isZero();
        assertThat(maxDifference(before.get(later), after.get(later))).isGreaterThan(1e-3f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void kvCacheStepsGiveTheLogitsOfFullRecomputation(String name, TransformerConfig config) {
        CausalLm model = model(config, null);
        long[] tokens = {256, 84, 104, 101, 32, 99, 97, 116, 32, 115, 97, 116};
        NDArray full = model.logits(inference, ids(tokens), null, null, null, false); // (1, 12, V)

        try (KvCache cache = new KvCache(manager, config.layers())) {
            NDArray prefix = model.logits(inference, ids(java.util.Arrays.copyOf(tokens, 5)), null, null, cache, false);
            assertThat(maxDifference(prefix, full.get(":, :5, :"))).isLessThan(1e-5f);
            for (int t = 5; t < tokens.length; t++) {
                NDArray step = model.logits(inference, ids(tokens[t]), null, null, cache, false); // (1, 1, V)
                assertThat(maxDifference(step, full.get(":, " + t + ":" + (t + 1) + ", :")))
                        .as("position %d", t).isLessThan(1e-5f);
            }
            assertThat(cache.length()).isEqualTo(tokens.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void leftPaddingWithPositionsAndMaskLeavesARowsLogitsUnchanged(String name, TransformerConfig config) {
        CausalLm model = model(config, null);
        long[] tokens = {256, 72, 105, 33};
        NDArray alone = model.logits(inference, ids(tokens), null, null, null, false); // (1, 4, V)

        NDArray padded = manager.create(new long[] {258, 258, 256, 72, 105, 33}, new Shape(1, 6));
        NDArray positions = manager.create(new long[] {0, 0, 0, 1, 2, 3}, new Shape(1, 6));
        NDArray keyPadding = manager.create(new float[] {0, 0, 1, 1, 1, 1}, new Shape(1, 6));
        NDArray logits = model.logits(inference, padded, positions, keyPadding, null, false);

        assertThat(maxDifference(logits.get(":, 2:, :"), alone)).isLessThan(1e-5f);
    }

    @Test
    void rejectsSequencesLongerThanTheContext() {
        CausalLm model = model(TinyModels.gpt2(), null);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> model.logits(inference, manager.zeros(new Shape(1, 65), DataType.INT64), null, null,
                        null, false))
                .withMessageContaining("context length 64");
    }

    @Test
    void theCausalMaskHidesOnlyTheFutureAndPadding() {
        float[] mask = AttentionInputs.mask(manager, 2, 1, manager.create(new float[] {0, 1, 1}, new Shape(1, 3)))
                .toFloatArray(); // 2 new positions after 1 cached one, the cached one padding
        float m = AttentionInputs.MASKED;

        assertThat(mask).containsExactly(new float[] {m, 0f, m, /* second query */ m, 0f, 0f}, within(0f)); // 0 or -0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aFreshLoraAdapterLeavesTheModelUnchanged(String name, TransformerConfig config) {
        LoraConfig lora = LoraConfig.attention(config.family(), 4, 8, 0.0);
        CausalLm base = model(config, null);
        CausalLm adapted = new CausalLm(config, lora);
        adapted.initialize(manager, DataType.FLOAT32, new Shape(1, 1)); // A random, B zero
        copyBaseWeights(base, adapted);
        NDArray tokens = ids(256, 1, 2, 3, 4, 5);

        NDArray expected = base.logits(inference, tokens, null, null, null, false);
        NDArray actual = adapted.logits(inference, tokens, null, null, null, false);

        assertThat(maxDifference(expected, actual)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void mergingAnAdapterKeepsTheOutputsAndFreezingLeavesOnlyAdaptersTrainable(String name, TransformerConfig config) {
        LoraConfig lora = new LoraConfig(4, 8, 0.0, config.family() == ModelFamily.GPT2
                ? Set.of("c_attn", "c_proj", "c_fc") : Set.of("q_proj", "v_proj", "o_proj", "gate_proj", "down_proj"));
        CausalLm adapted = model(config, lora); // B random too: the adapter changes the outputs
        NDArray tokens = ids(256, 9, 8, 7, 6);
        NDArray before = adapted.logits(inference, tokens, null, null, null, false);

        adapted.freezeAllButAdapters();
        assertThat(adapted.namedParameters()).allSatisfy(named -> assertThat(named.parameter().requiresGradient())
                .as(named.name()).isEqualTo(CausalLm.isAdapter(named.name())));
        adapted.mergeAdapters();
        NDArray after = adapted.logits(inference, tokens, null, null, null, false);

        assertThat(maxDifference(before, after)).isLessThan(1e-4f);
        CausalLm plain = new CausalLm(config);
        plain.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        copyBaseWeights(adapted, plain);
        assertThat(maxDifference(before, plain.logits(inference, tokens, null, null, null, false))).isLessThan(1e-4f);
    }

    @Test
    void adapterTensorsHavePeftNamesAndShapes() {
        CausalLm adapted = new CausalLm(TinyModels.llama(), LoraConfig.attention(ModelFamily.LLAMA, 4, 8, 0.0));

        assertThat(adapted.namedParameters())
                .filteredOn(named -> named.name().equals("model.layers.1.self_attn.k_proj.lora_A.weight")
                        || named.name().equals("model.layers.1.self_attn.k_proj.lora_B.weight"))
                .extracting(named -> named.parameter().getShape())
                .containsExactly(new Shape(4, 32), new Shape(16, 4)); // kv width 2 heads x 8
    }

    /** Copies every base weight of {@code from} into the same-named parameter of {@code to}. */
    private static void copyBaseWeights(CausalLm from, CausalLm to) {
        Map<String, NamedParameter> target = new HashMap<>();
        to.namedParameters().forEach(named -> target.put(named.name(), named));
        for (NamedParameter named : from.namedParameters()) {
            if (!CausalLm.isAdapter(named.name())) {
                named.parameter().getArray().copyTo(target.get(named.name()).parameter().getArray());
            }
        }
    }
}
