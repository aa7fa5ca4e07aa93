package dev.finetune.lm.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Generates continuations of token-id prompts with a {@link KvCache}: one forward pass over the prompts, then one
 * position per new token.
 *
 * <p>A batch of prompts of different lengths is left-padded: padding keys are masked out and each row's positions
 * count its real tokens only, so a prompt generates the same tokens alone or in a batch. A row stops at any of the
 * end-of-sequence ids (which is kept as its last token) or after {@code maxNewTokens}.
 */
@SuppressWarnings("checkstyle:LocalVariableName")
public final class Generator {

    private final CausalLm model;
    private final ParameterStore parameters;
    private final NDManager manager;

    /** @param manager parent of each call's arrays (the model's) */
    public Generator(CausalLm model, NDManager manager) {
        this.model = model;
        this.manager = manager;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * The generated ids of each prompt (without the prompt).
     *
     * @param prompts at least one non-empty prompt
     * @param eosIds  ids that end a sequence; may be empty
     * @param padId   id written in padded positions (never read: they are masked)
     */
    public List<int[]> generate(List<int[]> prompts, SamplingConfig sampling, Set<Integer> eosIds, int padId) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to generate from");
        }
        int B = prompts.size();
        int L = 0;
        for (int[] prompt : prompts) {
            if (prompt.length == 0) {
                throw new IllegalArgumentException("a prompt must hold at least one token");
            }
            L = Math.max(L, prompt.length);
        }
        int room = model.config().contextLength() - L;
        if (room < 0) {
            throw new IllegalArgumentException("a prompt of " + L + " tokens exceeds the model's context length "
                    + model.config().contextLength());
        }
        int steps = Math.min(sampling.maxNewTokens(), room);
        DjlRuntime.disableGradientRecording();

        long[] ids = new long[B * L];
        long[] positions = new long[B * L];
        float[] padding = new float[B * (L + steps)];
        long[] nextPosition = new long[B];
        boolean padded = false;
        for (int b = 0; b < B; b++) {
            int[] prompt = prompts.get(b);
            int offset = L - prompt.length; // left padding
            for (int t = 0; t < L; t++) {
                boolean real = t >= offset;
                ids[b * L + t] = real ? prompt[t - offset] : padId;
                positions[b * L + t] = real ? t - offset : 0;
                padding[b * (L + steps) + t] = real ? 1f : 0f;
            }
            nextPosition[b] = prompt.length;
            padded |= prompt.length < L;
        }
        List<List<Integer>> generated = new ArrayList<>();
        boolean[] done = new boolean[B];
        for (int b = 0; b < B; b++) {
            generated.add(new ArrayList<>());
        }
        TokenSampler sampler = new TokenSampler(sampling);
        try (KvCache cache = new KvCache(manager, model.config().layers())) {
            long[] stepIds = ids;
            long[] stepPositions = positions;
            int T = L;
            for (int step = 0; step < steps; step++) {
                float[][] last;
                try (NDManager stepManager = manager.newSubManager()) {
                    NDArray input = stepManager.create(stepIds, new Shape(B, T));
                    NDArray position = stepManager.create(stepPositions, new Shape(B, T));
                    NDArray keyPadding = padded
                            ? keyPadding(stepManager, padding, B, L + steps, cache.length() + T)
                            : null; // no row is padded: the causal mask alone (none at all for one new position)
                    NDArray logits = model.logits(parameters, input, position, keyPadding, cache, false); // (B, T, V)
                    last = lastRows(logits, B, T);
                }
                stepIds = new long[B];
                stepPositions = new long[B];
                for (int b = 0; b < B; b++) {
                    int token = done[b] ? padId : sampler.next(last[b]);
                    if (!done[b]) {
                        generated.get(b).add(token);
                        done[b] = eosIds.contains(token);
                    }
                    stepIds[b] = token;
                    stepPositions[b] = nextPosition[b]++;
                    padding[b * (L + steps) + L + step] = 1f;
                }
                T = 1;
                if (allTrue(done)) {
                    break;
                }
            }
        }
        List<int[]> result = new ArrayList<>(B);
        for (List<Integer> tokens : generated) {
            result.add(tokens.stream().mapToInt(Integer::intValue).toArray());
        }
        return result;
    }

    /** (B, Tk): the first {@code Tk} columns of the padding table. */
    private static NDArray keyPadding(NDManager manager, float[] table, int B, int width, int Tk) {
        float[] slice = new float[B * Tk];
        for (int b = 0; b < B; b++) {
            System.arraycopy(table, b * width, slice, b * Tk, Tk);
        }
        return manager.create(slice, new Shape(B, Tk));
    }

    /** Each row's logits at its last position, (B, V) as Java arrays. */
    private static float[][] lastRows(NDArray logits, int B, int T) {
        long V = logits.getShape().get(2);
        float[] flat = logits.get(":, " + (T - 1) + ", :").toFloatArray(); // (B, V)
        float[][] rows = new float[B][];
        for (int b = 0; b < B; b++) {
            rows[b] = java.util.Arrays.copyOfRange(flat, (int) (b * V), (int) ((b + 1) * V));
        }
        return rows;
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean value : values) {
            if (!value) {
                return false;
            }
        }
        return true;
    }
}
