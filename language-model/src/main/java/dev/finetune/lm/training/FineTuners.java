package dev.finetune.lm.training;

import dev.finetune.lm.checkpoint.BaseModel;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** Registry of the base models this library can fine-tune, by name. */
public final class FineTuners {

    private static final Map<String, Supplier<FineTuner>> KNOWN = new TreeMap<>(Map.of(
            BaseModel.TINY_RANDOM, CausalLmFineTuner::new));

    private FineTuners() {}

    /**
     * The fine-tuner of {@code baseModel}.
     *
     * @throws IllegalArgumentException for a name this library does not know, listing the known ones
     */
    public static FineTuner forBaseModel(String baseModel) {
        Supplier<FineTuner> supplier = baseModel == null ? null : KNOWN.get(baseModel);
        if (supplier == null) {
            throw new IllegalArgumentException(
                    "unknown base model '" + baseModel + "'; known base models: " + String.join(", ", KNOWN.keySet()));
        }
        return supplier.get();
    }

    /** Names {@link #forBaseModel(String)} accepts, sorted. */
    public static java.util.Set<String> knownBaseModels() {
        return java.util.Collections.unmodifiableSet(KNOWN.keySet());
    }
}
