package dev.finetune.contracts.events;

import java.util.List;

/**
 * LoRA adapter settings of a job with method {@code LORA}; every field optional, defaults in {@link #DEFAULTS}.
 *
 * @param rank          rank r of the update
 * @param alpha         scaling numerator: the update is multiplied by alpha / r
 * @param dropout       dropout on the adapter input while training
 * @param targetModules projection names (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj; GPT-2's c_attn,
 *                      c_proj, c_fc); empty or missing for every attention projection of the model's family
 */
public record LoraSettings(Integer rank, Double alpha, Double dropout, List<String> targetModules) {

    public static final LoraSettings DEFAULTS = new LoraSettings(8, 16.0, 0.05, List.of());

    public LoraSettings withDefaults() {
        return new LoraSettings(
                rank != null ? rank : DEFAULTS.rank,
                alpha != null ? alpha : DEFAULTS.alpha,
                dropout != null ? dropout : DEFAULTS.dropout,
                targetModules != null ? List.copyOf(targetModules) : DEFAULTS.targetModules);
    }

    public List<String> problems() {
        return new Problems()
                .check(rank == null || (rank >= 1 && rank <= 1024), "rank", "must be between 1 and 1024")
                .check(alpha == null || (alpha > 0 && alpha <= 4096), "alpha", "must be greater than 0 and at most 4096")
                .check(dropout == null || (dropout >= 0 && dropout < 1), "dropout", "must be at least 0 and less than 1")
                .check(targetModules == null || targetModules.stream().allMatch(t -> t != null && !t.isBlank()),
                        "targetModules", "must not hold blank names")
                .toList();
    }
}
