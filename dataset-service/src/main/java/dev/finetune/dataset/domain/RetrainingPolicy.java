package dev.finetune.dataset.domain;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * When new labeled data retrains a dataset's model on its own: once at least {@code minNewExamples} examples
 * have arrived since the version the current model was trained on, and at most once per {@code minInterval}.
 * Only datasets with a successful training job retrain automatically: the new job repeats that job's request
 * (model name, base model, method, hyperparameters) on the new version.
 *
 * @param enabled        off by default
 * @param minNewExamples examples added since the trained version (uploaded or streamed), at least 1
 * @param minInterval    ISO-8601 duration, e.g. {@code PT1H}; {@code PT0S} for no limit
 */
public record RetrainingPolicy(boolean enabled, int minNewExamples, String minInterval) {

    public static final RetrainingPolicy OFF = new RetrainingPolicy(false, 100, "PT1H");

    public Duration interval() {
        return Duration.parse(minInterval);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (minNewExamples < 1) {
            problems.add("retraining.minNewExamples: must be at least 1 but was " + minNewExamples);
        }
        try {
            if (minInterval == null || Duration.parse(minInterval).isNegative()) {
                problems.add("retraining.minInterval: must be a duration of zero or more, such as PT1H");
            }
        } catch (DateTimeParseException e) {
            problems.add("retraining.minInterval: must be an ISO-8601 duration such as PT1H but was '" + minInterval
                    + "'");
        }
        return problems;
    }

    /** The policy in words, for events and cards. */
    public String describe() {
        return "at least " + minNewExamples + " new examples, at most once per " + minInterval;
    }
}
