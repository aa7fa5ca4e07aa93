package dev.finetune.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.finetune.lm.generation.Generator;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LoraConfig;
import dev.finetune.lm.model.ModelFamily;
import dev.finetune.lm.model.NamedParameter;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.text.SequenceBatch;
import dev.finetune.lm.training.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One configuration of ../shared/BENCHMARKS.md on the Java engine, printed as one JSON line with the same fields as
 * the PyTorch reference ({@code pytorch_reference.py}): the production {@link TrainingStep} (forward, masked loss,
 * backward, global-norm clipping at 1.0, AdamW lr 3e-4, weight decay 0.1, betas 0.9/0.999) on 8 x 256 random tokens,
 * 3 warm-up and 10 timed steps; or greedy generation with the KV cache.
 *
 * <p>Usage: {@code java -jar finetune-bench.jar --preset S|M --method FULL|LORA}, or {@code --generate}.
 */
public final class EngineBenchmark {

    static final int VOCAB = 8192;
    static final int CONTEXT = 256;
    static final int BATCH = 8;
    static final int WARMUP_STEPS = 3;
    static final int TIMED_STEPS = 10;
    static final long DATA_SEED = 1234;

    private EngineBenchmark() {}

    /** The two presets: S a 4-layer GPT-2, M an 8-layer Llama with grouped-query attention. */
    static TransformerConfig preset(String name) {
        return switch (name) {
            case "S" -> TransformerConfig.gpt2(VOCAB, CONTEXT, 4, 256, 4);
            case "M" -> TransformerConfig.llama(VOCAB, CONTEXT, 8, 512, 8, 4, 1408);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (S or M)");
        };
    }

    public static void main(String[] args) throws IOException {
        List<String> options = Arrays.asList(args);
        ObjectNode result;
        Engine engine = DjlRuntime.engine();
        DjlRuntime.disableGradientRecording();
        engine.setRandomSeed(42);
        if (options.contains("--generate")) {
            result = generation();
        } else {
            String preset = value(options, "--preset");
            String method = value(options, "--method");
            if (!Set.of("FULL", "LORA").contains(method)) {
                throw new IllegalArgumentException("--method must be FULL or LORA, was " + method);
            }
            result = training(preset, method);
        }
        result.put("threads", JniUtils.getNumThreads());
        result.put("interop_threads", JniUtils.getNumInteropThreads());
        result.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        result.put("djl_version", DjlRuntime.djlVersion());
        result.put("pytorch_version", DjlRuntime.pytorchVersion());
        result.put("jdk", Runtime.version().toString());
        result.put("loadavg", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    private static String value(List<String> options, String name) {
        int i = options.indexOf(name);
        if (i < 0 || i + 1 >= options.size()) {
            throw new IllegalArgumentException("missing " + name);
        }
        return options.get(i + 1);
    }

    static ObjectNode training(String preset, String method) {
        TransformerConfig config = preset(preset);
        LoraConfig lora = method.equals("LORA") ? LoraConfig.attention(config.family(), 8, 16, 0.0) : null;
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            CausalLm model = new CausalLm(config, lora);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            if (lora != null) {
                model.freezeAllButAdapters();
            }
            TrainingStep step = new TrainingStep(model, manager, 0.1);
            SequenceBatch[] batch = {randomBatch()};
            double peakBefore = matmulPeakGflops(manager);
            List<Double> losses = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < WARMUP_STEPS + TIMED_STEPS; i++) {
                long begin = System.nanoTime();
                losses.add((double) step.run(batch, 3e-4));
                if (i >= WARMUP_STEPS) {
                    times.add((System.nanoTime() - begin) / 1e9);
                }
            }
            double rss = peakRssMb();
            double peak = Math.max(peakBefore, matmulPeakGflops(manager));
            double seconds = times.stream().mapToDouble(Double::doubleValue).sum();
            double tokensPerSecond = TIMED_STEPS * BATCH * CONTEXT / seconds;
            long matmulParams = matmulParameters(model);
            ObjectNode out = new ObjectMapper().createObjectNode();
            out.put("side", "java").put("preset", preset).put("method", method);
            out.put("params_total", model.parameterCount());
            out.put("params_trainable", step.trainableCount());
            out.put("params_matmul", matmulParams);
            out.put("tokens_per_s", round(tokensPerSecond, 1));
            out.put("median_step_ms", round(1000 * median(times), 1));
            out.put("peak_rss_mb", round(rss, 1));
            out.put("matmul_peak_gflops", round(peak, 1));
            out.put("mfu", round(6.0 * matmulParams * tokensPerSecond / (peak * 1e9), 4));
            out.put("loss_first", round(losses.get(0), 4));
            out.put("loss_last", round(losses.get(losses.size() - 1), 4));
            return out;
        }
    }

    static ObjectNode generation() {
        int promptTokens = 16;
        int newTokens = 128;
        TransformerConfig config = preset("M");
        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            CausalLm model = new CausalLm(config);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            Random random = new Random(DATA_SEED);
            int[] prompt = new int[promptTokens];
            for (int i = 0; i < promptTokens; i++) {
                prompt[i] = random.nextInt(VOCAB);
            }
            Generator generator = new Generator(model, manager);
            generator.generate(List.of(prompt), SamplingConfig.greedy(8), Set.of(), 0); // warm-up
            long begin = System.nanoTime();
            int[] out = generator.generate(List.of(prompt), SamplingConfig.greedy(newTokens), Set.of(), 0).get(0);
            double seconds = (System.nanoTime() - begin) / 1e9;
            if (out.length != newTokens) {
                throw new IllegalStateException("generated " + out.length + " tokens, expected " + newTokens);
            }
            ObjectNode result = new ObjectMapper().createObjectNode();
            result.put("side", "java").put("preset", "M").put("method", "GENERATE");
            result.put("batch", 1).put("prompt_tokens", promptTokens).put("new_tokens", newTokens);
            result.put("params_total", model.parameterCount());
            result.put("params_matmul", matmulParameters(model));
            result.put("tokens_per_s", round(newTokens / seconds, 1)); // prefill included
            result.put("ms_per_token", round(1000 * seconds / newTokens, 2));
            result.put("peak_rss_mb", round(peakRssMb(), 1));
            return result;
        }
    }

    /** Every input position predicts the next random token. */
    private static SequenceBatch randomBatch() {
        Random random = new Random(DATA_SEED);
        long[] inputs = new long[BATCH * CONTEXT];
        long[] targets = new long[BATCH * CONTEXT];
        float[] mask = new float[BATCH * CONTEXT];
        for (int b = 0; b < BATCH; b++) {
            long[] row = new long[CONTEXT + 1];
            for (int t = 0; t <= CONTEXT; t++) {
                row[t] = random.nextInt(VOCAB);
            }
            for (int t = 0; t < CONTEXT; t++) {
                inputs[b * CONTEXT + t] = row[t];
                targets[b * CONTEXT + t] = row[t + 1];
                mask[b * CONTEXT + t] = 1f;
            }
        }
        return new SequenceBatch(BATCH, CONTEXT, inputs, targets, mask, (long) BATCH * CONTEXT);
    }

    /**
     * N of BENCHMARKS.md: parameters that take part in matmuls, all but the lookup-only tables (GPT-2's position
     * table, Llama's untied input embedding; GPT-2's tied table counts once). LoRA adapters included.
     */
    static long matmulParameters(CausalLm model) {
        long lookupOnly = 0;
        for (NamedParameter named : model.namedParameters()) {
            boolean positions = named.name().endsWith("wpe.weight");
            boolean untiedInput = model.config().family() == ModelFamily.LLAMA && !model.config().tiedEmbeddings()
                    && named.name().endsWith("embed_tokens.weight");
            if (positions || untiedInput) {
                lookupOnly += named.parameter().getShape().size();
            }
        }
        return model.parameterCount() - lookupOnly;
    }

    /** Best of 10 fp32 2048^3 products after 10 warm-up ones, on this engine and its threads. */
    static double matmulPeakGflops(NDManager parent) {
        int n = 2048;
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            for (int i = 0; i < 10; i++) {
                a.matMul(b).close();
            }
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long begin = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // the product is computed when its value is read
                best = Math.min(best, (System.nanoTime() - begin) / 1e9);
                c.close();
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    /** The process's peak resident memory (VmHWM). */
    static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
