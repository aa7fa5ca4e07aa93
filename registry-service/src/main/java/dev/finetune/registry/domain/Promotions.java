package dev.finetune.registry.domain;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.ModelPromoted;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Stages of model versions: the promotion gate on every evaluated version, manual promotion and rollback by an
 * approver, and the audit trail of every change. One version of a model name is in {@code production} at a time:
 * moving one there archives the one before. Each change is returned as the {@link ModelPromoted} events to publish.
 */
@ApplicationScoped
public class Promotions {

    private final MeterRegistry meters;

    public Promotions(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A request that cannot be carried out, with the reason for the caller. */
    public static class Refused extends RuntimeException {
        public final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Applies the model name's policy to a freshly evaluated version (inside the evaluation's transaction) and
     * records the decision on it; a version already decided is not decided again, its promotion is announced again.
     */
    List<ModelPromoted> gate(ModelVersion v, Map<String, Double> metrics) {
        PromotionPolicy policy = PromotionPolicy.findById(v.modelName);
        if (policy == null) {
            v.gateDecision = "no promotion policy for " + v.modelName + ": the version stays " + v.stage;
            return List.of();
        }
        List<ModelPromoted> events = new ArrayList<>();
        if (v.gatePassed != null) {
            if (v.gatePassed && v.stage.equals(policy.targetStage)) {
                events.add(event(v, ModelPromoted.CANDIDATE, v.stage, ModelPromoted.GATE, v.gateDecision,
                        gateEventId(v)));
            }
            return events;
        }
        Optional<PromotionGate.Production> production = production(v.modelName)
                .filter(p -> !p.id.equals(v.id))
                .map(p -> new PromotionGate.Production(p.version, Registry.metrics(p.evaluationMetrics)));
        PromotionGate.Decision decision = PromotionGate.decide(policy, metrics, production);
        v.gatePassed = decision.passed();
        v.gateDecision = decision.reason();
        meters.counter("finetune.gate.decisions", "model", v.modelName, "outcome",
                decision.passed() ? "passed" : "failed").increment();
        Optional<TaskRun> run = TaskRun.<TaskRun>findByIdOptional(v.jobId)
                .filter(r -> r.runId != null && TaskRun.count("runId", r.runId) > 1);
        if (run.isPresent()) {
            return settleRun(run.get().runId);
        }
        if (decision.passed()) {
            move(v, policy.targetStage, ModelPromoted.GATE, decision.reason(), Instant.now(), events, gateEventId(v));
        }
        return events;
    }

    /**
     * Once every job of a task run has ended (evaluated or failed), moves the best of its versions that passed the
     * gate to the gate's stage, and says on the others why they were not; nothing while a job still runs. Run by
     * each ending job of the run; the run's rows are locked, so two replicas ending its last jobs settle it once.
     */
    public List<ModelPromoted> settleRun(String runId) {
        List<TaskRun> jobs = TaskRun.<TaskRun>find("runId", runId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        if (jobs.isEmpty()) {
            return List.of();
        }
        PromotionPolicy policy = PromotionPolicy.findById(jobs.get(0).taskName);
        if (policy == null) {
            return List.of();
        }
        Map<ModelVersion, String> passed = new LinkedHashMap<>();
        for (TaskRun job : jobs) {
            TrainingJob training = TrainingJob.findById(job.jobId);
            if (training == null || !training.status.ended()) {
                return List.of(); // still queued or running: decide when the last one ends
            }
            ModelVersion.<ModelVersion>find("jobId", job.jobId).firstResultOptional()
                    .filter(mv -> Boolean.TRUE.equals(mv.gatePassed))
                    .ifPresent(mv -> passed.put(mv, job.variant));
        }
        if (passed.isEmpty()) {
            return List.of();
        }
        ModelVersion best = null;
        double bestValue = Double.NaN;
        for (ModelVersion mv : passed.keySet()) {
            // a version passed the gate only with a value on its metric
            double value = Registry.metrics(mv.evaluationMetrics).get(policy.metric);
            if (best == null || PromotionGate.gain(policy.higherIsBetter, value, bestValue) > 0) {
                best = mv;
                bestValue = value;
            }
        }
        List<ModelPromoted> events = new ArrayList<>();
        if (best.stage.equals(policy.targetStage)) {
            events.add(event(best, ModelPromoted.CANDIDATE, best.stage, ModelPromoted.GATE, best.gateDecision,
                    gateEventId(best)));
            return events;
        }
        String bestVariant = passed.get(best);
        for (Map.Entry<ModelVersion, String> other : passed.entrySet()) {
            if (other.getKey() != best) {
                other.getKey().gateDecision += "; not promoted: variant " + bestVariant + " of the same run scored "
                        + "better on " + policy.metric;
            }
        }
        best.gateDecision += "; the best passing variant (" + bestVariant + ") of its run of " + jobs.size();
        move(best, policy.targetStage, ModelPromoted.GATE, best.gateDecision, Instant.now(), events,
                gateEventId(best));
        return events;
    }

    /** Moves a version to a stage by hand (an approver); moving it to production archives the one there. */
    @Transactional
    public List<ModelPromoted> changeStage(long versionId, String toStage, String by, String reason) {
        if (!ModelPromoted.STAGES.contains(toStage)) {
            throw new Refused(400, "stage: must be one of " + ModelPromoted.STAGES + " but was '" + toStage + "'");
        }
        ModelVersion v = ModelVersion.findById(versionId);
        if (v == null) {
            throw new Refused(404, "no model version " + versionId);
        }
        if (v.evaluatedAt == null || v.evaluationMetrics == null) {
            throw new Refused(409, "model version " + versionId + " has no successful evaluation; only evaluated "
                    + "versions change stage");
        }
        List<ModelPromoted> events = new ArrayList<>();
        move(v, toStage, by, reason, Instant.now(), events, UUID.randomUUID());
        return events;
    }

    /** Puts back in production the version that was there before the current one; the current one is archived. */
    @Transactional
    public List<ModelPromoted> rollback(String modelName, String by, String reason) {
        ModelVersion current = production(modelName)
                .orElseThrow(() -> new Refused(409, "model " + modelName + " has no production version"));
        Optional<ModelVersion> previous = StageChange.<StageChange>find(
                        "modelName = ?1 and toStage = ?2 and modelVersionId <> ?3", Sort.descending("changedAt", "id"),
                        modelName, ModelPromoted.PRODUCTION, current.id)
                .stream().map(c -> ModelVersion.<ModelVersion>findById(c.modelVersionId)).findFirst();
        if (previous.isEmpty()) {
            throw new Refused(409, "model " + modelName + " had no production version before version "
                    + current.version + "; nothing to roll back to");
        }
        List<ModelPromoted> events = new ArrayList<>();
        move(previous.get(), ModelPromoted.PRODUCTION, by, "rollback: " + reason, Instant.now(), events,
                UUID.randomUUID());
        return events;
    }

    /** The version of a model name in production, if one is. */
    public Optional<ModelVersion> production(String modelName) {
        return ModelVersion.<ModelVersion>find("modelName = ?1 and stage = ?2", modelName, ModelPromoted.PRODUCTION)
                .firstResultOptional();
    }

    @Transactional
    public PromotionPolicy putPolicy(String modelName, String metric, boolean higherIsBetter,
                                     double minGainOverBaseline, double minGainOverProduction, String targetStage,
                                     String by) {
        PromotionPolicy p = PromotionPolicy.findById(modelName);
        if (p == null) {
            p = new PromotionPolicy();
            p.modelName = modelName;
        }
        p.metric = metric;
        p.higherIsBetter = higherIsBetter;
        p.minGainOverBaseline = minGainOverBaseline;
        p.minGainOverProduction = minGainOverProduction;
        p.targetStage = targetStage;
        p.updatedBy = by;
        p.updatedAt = Instant.now();
        p.persist();
        return p;
    }

    private void move(ModelVersion v, String to, String by, String reason, Instant now, List<ModelPromoted> events,
                      UUID eventId) {
        if (to.equals(v.stage)) {
            return;
        }
        if (to.equals(ModelPromoted.PRODUCTION)) {
            for (ModelVersion other : ModelVersion.<ModelVersion>list("modelName = ?1 and stage = ?2 and id <> ?3",
                    v.modelName, ModelPromoted.PRODUCTION, v.id)) {
                move(other, ModelPromoted.ARCHIVED, by, "replaced in production by version " + v.version, now,
                        events, UUID.nameUUIDFromBytes((eventId + ":archived:" + other.id)
                                .getBytes(StandardCharsets.UTF_8)));
            }
        }
        StageChange change = new StageChange();
        change.modelVersionId = v.id;
        change.modelName = v.modelName;
        change.version = v.version;
        change.fromStage = v.stage;
        change.toStage = to;
        change.changedBy = by;
        change.reason = reason;
        change.changedAt = now;
        change.persist();
        meters.counter("finetune.stage.changes", "model", v.modelName, "stage", to).increment();
        events.add(event(v, v.stage, to, by, reason, eventId));
        v.stage = to;
    }

    private static ModelPromoted event(ModelVersion v, String from, String to, String by, String reason, UUID id) {
        return new ModelPromoted(ModelPromoted.SCHEMA_VERSION, id, Instant.now(), v.modelName, v.version, v.jobId,
                from, to, new ArtifactRef(v.modelUri, v.modelSha256, v.modelSizeBytes),
                Registry.metrics(v.evaluationMetrics), by, reason);
    }

    private static UUID gateEventId(ModelVersion v) {
        return UUID.nameUUIDFromBytes(("model-promoted:" + v.jobId).getBytes(StandardCharsets.UTF_8));
    }
}
