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
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Block tier: shapes and the causal property of the real blocks on the PyTorch engine. */
class GptTest {

    private static final ModelConfig CONFIG = new ModelConfig(259, 16, 2, 32, 4, 0.0);

    private NDManager manager;

    @BeforeEach
    void engine() {
        DjlRuntime.engine().setRandomSeed(7);
        manager = NDManager.newBaseManager(DjlRuntime.ENGINE_NAME);
    }

    @AfterEach
    void release() {
        manager.close();
    }

    private NDArray forward(Block block, NDArray input) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow();
    }

    @Test
    void gptMapsTokenIdsToOneLogitPerVocabularyEntry() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        gpt.initialize(manager, DataType.FLOAT32, new Shape(3, 10));

        NDArray logits = forward(gpt, manager.randomInteger(0, 259, new Shape(3, 10), DataType.INT64));

        assertThat(logits.getShape()).isEqualTo(new Shape(3, 10, 259));
        assertThat(gpt.getOutputShapes(new Shape[] {new Shape(3, 10)})[0]).isEqualTo(new Shape(3, 10, 259));
    }

    @Test
    void gptRejectsSequencesLongerThanItsContext() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        gpt.initialize(manager, DataType.FLOAT32, new Shape(1, 16));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> forward(gpt, manager.zeros(new Shape(1, 17), DataType.INT64)))
                .withMessageContaining("context length 16");
    }

    @Test
    void innerBlocksKeepTheShape() {
        Shape x = new Shape(2, 5, 32); // (B, T, C)
        for (Block block : new Block[] {new CausalSelfAttention(32, 4, 0.0), new Mlp(32, 0.0), new TransformerBlock(CONFIG)}) {
            block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, x);

            assertThat(forward(block, manager.randomNormal(x)).getShape()).as(block.getClass().getSimpleName()).isEqualTo(x);
        }
    }

    @Test
    void changingALaterTokenLeavesEarlierLogitsUnchanged() {
        Gpt gpt = new Gpt(CONFIG);
        gpt.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT); // large weights: differences show
        gpt.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        long[] ids = {256, 72, 101, 108, 108, 111, 33, 10};
        long[] changed = ids.clone();
        changed[5] = 200;

        NDArray before = forward(gpt, manager.create(ids, new Shape(1, 8)));
        NDArray after = forward(gpt, manager.create(changed, new Shape(1, 8)));

        NDIndex earlier = new NDIndex(":, :5, :");
        NDIndex later = new NDIndex(":, 5:, :");
        assertThat(before.get(earlier).sub(after.get(earlier)).abs().max().getFloat()).isZero();
        assertThat(before.get(later).sub(after.get(later)).abs().max().getFloat()).isGreaterThan(1e-4f);
    }

    @Test
    void causalMaskHidesOnlyTheFuture() {
        float[] mask = CausalSelfAttention.causalMask(manager, 3).toFloatArray();

        assertThat(mask).containsExactly(new float[] {0f, -1e9f, -1e9f, 0f, 0f, -1e9f, 0f, 0f, 0f}, within(0f)); // 0 or -0
    }
}
