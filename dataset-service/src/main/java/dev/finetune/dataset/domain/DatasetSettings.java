package dev.finetune.dataset.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.finetune.contracts.events.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a dataset's uploads and streamed examples become versions: kept per dataset (under
 * {@code datasets/<name>/settings.json}), set with {@code PUT /api/datasets/<name>/settings}, and overridden for
 * one upload by its query parameters. A null field means the service's default ({@link #withDefaults}).
 *
 * @param labels         the allowed labels of a classification dataset; null or empty: any label
 * @param maxTokens      the longest example in tokens (prompt and answer as the trainer renders them); null: no limit
 * @param tokenizer      what counts tokens: {@value #BYTES} (UTF-8 bytes, the {@code tiny-random} model's tokenizer)
 *                       or a base model as the trainer names it, whose tokenizer is used
 * @param baselinePrompt the prompt the base model is scored with before any fine-tuning, with {@code {text}},
 *                       {@code {instruction}} and {@code {input}} where the row's fields go
 * @param baselineShots  how many solved training examples precede the baseline prompt in a few-shot baseline
 *                       (scored besides the zero-shot one); null or 0: zero-shot only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSettings(TaskType task, FieldMapping fields, InvalidRecordPolicy onInvalid,
                              Double validationRatio, Double testRatio, Integer maxTextChars, Integer maxTokens,
                              String tokenizer, List<String> labels, String baselinePrompt,
                              Integer baselineShots, RetrainingPolicy retraining) {

    public static final String BYTES = "bytes";
    public static final DatasetSettings NONE =
            new DatasetSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    /** The most solved examples a few-shot baseline prompt may hold: enough to show a task, few enough to fit. */
    public static final int MAX_BASELINE_SHOTS = 16;
    private static final Set<String> PLACEHOLDERS = Set.of("{text}", "{instruction}", "{input}");

    /** Every field set: this one's values, else the service's defaults. */
    public DatasetSettings withDefaults(double defaultValidation, double defaultTest, int defaultMaxTextChars) {
        return new DatasetSettings(task != null ? task : TaskType.CLASSIFICATION,
                fields != null ? fields : FieldMapping.DEFAULT,
                onInvalid != null ? onInvalid : InvalidRecordPolicy.FAIL,
                validationRatio != null ? validationRatio : defaultValidation,
                testRatio != null ? testRatio : defaultTest,
                maxTextChars != null ? maxTextChars : defaultMaxTextChars,
                maxTokens, tokenizer != null ? tokenizer : BYTES,
                labels == null ? List.of() : List.copyOf(new TreeSet<>(labels)), baselinePrompt,
                baselineShots != null ? baselineShots : 0, retraining != null ? retraining : RetrainingPolicy.OFF);
    }

    /** Settings that set the task only. */
    public static DatasetSettings ofTask(TaskType task) {
        return new DatasetSettings(task, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** These settings with every non-null field of {@code other} taking precedence (field mappings merge). */
    public DatasetSettings overriddenBy(DatasetSettings other) {
        return new DatasetSettings(or(other.task, task),
                fields == null ? other.fields : other.fields == null ? fields : fields.overriddenBy(other.fields),
                or(other.onInvalid, onInvalid), or(other.validationRatio, validationRatio),
                or(other.testRatio, testRatio), or(other.maxTextChars, maxTextChars), or(other.maxTokens, maxTokens),
                or(other.tokenizer, tokenizer), or(other.labels, labels), or(other.baselinePrompt, baselinePrompt),
                or(other.baselineShots, baselineShots), or(other.retraining, retraining));
    }

    public SplitRatios splitRatios() {
        return new SplitRatios(validationRatio, testRatio);
    }

    /** Every problem of settings completed by {@link #withDefaults}, each naming its field. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(fields.problems(task));
        if (validationRatio <= 0 || testRatio <= 0 || validationRatio + testRatio >= 1) {
            problems.add("validationRatio and testRatio: must each be above 0 and together below 1 but were "
                    + validationRatio + " and " + testRatio);
        }
        if (maxTextChars < 1) {
            problems.add("maxTextChars: must be at least 1 but was " + maxTextChars);
        }
        if (maxTokens != null && maxTokens < 1) {
            problems.add("maxTokens: must be at least 1 but was " + maxTokens);
        }
        if (tokenizer.isBlank()) {
            problems.add("tokenizer: must be '" + BYTES + "' or a base model name");
        }
        if (!labels.isEmpty() && task != TaskType.CLASSIFICATION) {
            problems.add("labels: only a CLASSIFICATION dataset has labels, this one is " + task);
        }
        if (labels.stream().anyMatch(String::isBlank)) {
            problems.add("labels: must not contain an empty label");
        }
        if (baselinePrompt != null && PLACEHOLDERS.stream().noneMatch(baselinePrompt::contains)) {
            problems.add("baselinePrompt: must contain {text}, {instruction} or {input} where the row goes");
        }
        if (baselinePrompt != null && (task == TaskType.CHAT || task == TaskType.LANGUAGE_MODELING)) {
            problems.add("baselinePrompt: only datasets with an answer to score (CLASSIFICATION, INSTRUCTION, "
                    + "GENERATION) take one, this one is " + task);
        }
        if (baselineShots < 0 || baselineShots > MAX_BASELINE_SHOTS) {
            problems.add("baselineShots: must be between 0 and " + MAX_BASELINE_SHOTS + " but was " + baselineShots);
        }
        if (baselineShots > 0 && baselinePrompt == null) {
            problems.add("baselineShots: a few-shot baseline needs a baselinePrompt to write its examples in");
        }
        problems.addAll(retraining.problems());
        return problems;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
