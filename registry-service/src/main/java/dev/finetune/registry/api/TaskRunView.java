package dev.finetune.registry.api;

import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.registry.domain.PromotionGate;
import dev.finetune.registry.domain.PromotionPolicy;
import dev.finetune.registry.domain.Registry;
import dev.finetune.registry.domain.TaskRun;
import dev.finetune.registry.domain.TrainingJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One job of a task's runs next to the others: its variant, where it stands, and once evaluated the task's main
 * metric, the strongest prompt-only baseline on it and the gain, the gate's decision, and its cost (wall time and
 * tokens trained on). {@code best} marks the evaluated job with the best main metric.
 */
public record TaskRunView(String variant, int revision, String jobId, String status, String failureReason,
                          Long modelVersionId, String stage, String metric, Double value, Double baseline,
                          Double gainOverBaseline, Boolean gatePassed, Double durationSeconds, Double tokens,
                          Instant requestedAt, boolean best) {

    /** The task's runs, newest first, with the best evaluated one marked. */
    public static List<TaskRunView> of(List<TaskRun> runs, String metric) {
        boolean higherIsBetter = PromotionPolicy.higherIsBetter(metric);
        List<TaskRunView> views = new ArrayList<>();
        TaskRunView best = null;
        for (TaskRun run : runs) {
            TaskRunView view = of(run, metric, higherIsBetter, false);
            views.add(view);
            if (view.value() != null
                    && (best == null || PromotionGate.gain(higherIsBetter, view.value(), best.value()) > 0)) {
                best = view;
            }
        }
        if (best != null) {
            views.set(views.indexOf(best), best.asBest());
        }
        return views;
    }

    private TaskRunView asBest() {
        return new TaskRunView(variant, revision, jobId, status, failureReason, modelVersionId, stage, metric, value,
                baseline, gainOverBaseline, gatePassed, durationSeconds, tokens, requestedAt, true);
    }

    private static TaskRunView of(TaskRun run, String metric, boolean higherIsBetter, boolean best) {
        TrainingJob job = TrainingJob.findById(run.jobId);
        ModelVersion version = ModelVersion.<ModelVersion>find("jobId", run.jobId).firstResultOptional().orElse(null);
        Map<String, Double> evaluation = version == null ? Map.of() : Registry.metrics(version.evaluationMetrics);
        Map<String, Double> training = version == null ? Map.of() : Registry.metrics(version.trainingMetrics);
        Double value = evaluation.get(metric);
        Double baseline = PromotionGate.strongestBaseline(metric, higherIsBetter, evaluation).map(Map.Entry::getValue)
                .orElse(null);
        Double gain = value == null || baseline == null ? null : PromotionGate.gain(higherIsBetter, value, baseline);
        Double seconds = training.get("durationSeconds");
        Double tokensPerSecond = training.get("tokensPerSecond");
        return new TaskRunView(run.variant, run.revision, run.jobId, job == null ? null : job.status.name(),
                job == null ? null : job.failureReason, version == null ? null : version.id,
                version == null ? null : version.stage, metric, value, baseline, gain,
                version == null ? null : version.gatePassed, seconds,
                seconds == null || tokensPerSecond == null ? null : Math.rint(seconds * tokensPerSecond),
                run.requestedAt, best);
    }
}
