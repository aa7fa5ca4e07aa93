package dev.finetune.lm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A LoRA adapter's shape (Hu et al. 2021, PEFT's {@code LoraConfig}): {@code W x + (alpha / r) B A x} on the target
 * projections, with A (r, in) and B (out, r) trained and W frozen.
 *
 * @param rank          r, the rank of the update
 * @param alpha         scaling numerator; the update is multiplied by {@code alpha / rank}
 * @param dropout       dropout on the adapter's input while training, in [0, 1)
 * @param targetModules projection names, as in Hugging Face checkpoints: q_proj, k_proj, v_proj, o_proj, gate_proj,
 *                      up_proj, down_proj (Llama family); c_attn, c_proj, c_fc (GPT-2). As in PEFT, a name matches
 *                      every module it ends: GPT-2's {@code c_proj} is both the attention and the MLP output
 *                      projection, {@code attn.c_proj} only the first
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<String> targetModules) {

    /** Projection names an adapter can target. */
    public static final Set<String> KNOWN_TARGETS = Set.of(
            "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "c_attn", "c_proj", "c_fc",
            "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj",
            "mlp.up_proj", "mlp.down_proj", "attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");

    public LoraConfig {
        List<String> problems = new ArrayList<>();
        if (rank < 1) {
            problems.add("rank must be >= 1, was " + rank);
        }
        if (!(alpha > 0 && Double.isFinite(alpha))) {
            problems.add("alpha must be a finite number > 0, was " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            problems.add("dropout must be in [0, 1), was " + dropout);
        }
        targetModules = targetModules == null ? Set.of() : Set.copyOf(targetModules);
        if (targetModules.isEmpty()) {
            problems.add("targetModules must name at least one projection");
        }
        for (String target : targetModules) {
            if (!KNOWN_TARGETS.contains(target)) {
                problems.add("unknown target module '" + target + "'; known: " + String.join(", ",
                        KNOWN_TARGETS.stream().sorted().toList()));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid LoraConfig: " + String.join("; ", problems));
        }
    }

    /** The usual choice: every attention projection of the family (q, k, v, o; GPT-2's c_attn and c_proj). */
    public static LoraConfig attention(ModelFamily family, int rank, double alpha, double dropout) {
        Set<String> targets = family == ModelFamily.GPT2
                ? Set.of("c_attn", "attn.c_proj")
                : Set.of("q_proj", "k_proj", "v_proj", "o_proj");
        return new LoraConfig(rank, alpha, dropout, targets);
    }

    /** {@code alpha / rank}. */
    public double scaling() {
        return alpha / rank;
    }

    /** Whether the module {@code parent.name} (e.g. {@code self_attn.q_proj}) gets an adapter. */
    boolean targets(String parent, String name) {
        return targetModules.contains(name) || targetModules.contains(parent + "." + name);
    }
}
