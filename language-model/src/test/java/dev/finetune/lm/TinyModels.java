package dev.finetune.lm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.HfConfig;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny GPT-2 and Llama checkpoints in Hugging Face layout, built in tests (no model can be downloaded here). */
public final class TinyModels {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TinyModels() {}

    /** GPT-2 over the byte tokenizer: 2 layers, width 32, 4 heads, context 64. */
    public static TransformerConfig gpt2() {
        return TransformerConfig.gpt2(259, 64, 2, 32, 4);
    }

    /** Llama over the byte tokenizer with grouped-query attention: 2 layers, width 32, 4 heads, 2 kv heads. */
    public static TransformerConfig llama() {
        return TransformerConfig.llama(259, 64, 2, 32, 4, 2, 64);
    }

    /** Qwen2-style: Llama with q/k/v biases, a tied head, one kv head and another rope theta. */
    public static TransformerConfig qwen2() {
        return new TransformerConfig("qwen2", ModelFamily.LLAMA, 259, 64, 2, 32, 4, 1, 8, 48, 1e-6, 1_000_000, true,
                true, 0.0);
    }

    /** A folder with config.json and model.safetensors holding random weights (std {@code std}) of {@code config}. */
    public static Path write(Path folder, TransformerConfig config, long seed, float std) {
        DjlRuntime.engine().setRandomSeed((int) seed);
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            CausalLm model = new CausalLm(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            model.namedParameters().forEach(named -> {
                var array = named.parameter().getArray();
                manager.randomNormal(0, std, array.getShape(), DataType.FLOAT32).copyTo(array);
            });
            Files.createDirectories(folder);
            ModelFolder.saveWeights(model, folder.resolve(ModelFolder.WEIGHTS_FILE));
            ObjectNode json = HfConfig.toJson(config, ByteTokenizer.BOS, ByteTokenizer.EOS);
            json.put("pad_token_id", ByteTokenizer.PAD);
            json.put(BaseModel.BYTE_TOKENIZER_KEY, true);
            JSON.writeValue(folder.resolve(ModelFolder.CONFIG_FILE).toFile(), json);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
