package dev.finetune.registry.domain;

import dev.finetune.contracts.events.TrainingProgress;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One progress snapshot of a job's training: a point on its loss, learning-rate and throughput curves. */
@Entity
@Table(name = "training_curve_point")
public class CurvePoint extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "job_id")
    public String jobId;
    public int step;
    @Column(name = "total_steps")
    public int totalSteps;
    public int epoch;
    @Column(name = "train_loss")
    public double trainLoss;
    @Column(name = "validation_loss")
    public Double validationLoss;
    @Column(name = "learning_rate")
    public double learningRate;
    @Column(name = "tokens_per_second")
    public double tokensPerSecond;
    @Column(name = "recorded_at")
    public Instant recordedAt;

    /** A job's points by step. */
    public static List<CurvePoint> of(String jobId) {
        return list("jobId", Sort.ascending("step"), jobId);
    }

    /**
     * Keeps a snapshot; a job resumed from a checkpoint reports some steps again, and the newest report of a step
     * is the one kept.
     */
    static void record(TrainingProgress p) {
        CurvePoint point = CurvePoint.<CurvePoint>find("jobId = ?1 and step = ?2", p.jobId(), p.step())
                .firstResultOptional().orElseGet(CurvePoint::new);
        point.jobId = p.jobId();
        point.step = p.step();
        point.totalSteps = p.totalSteps();
        point.epoch = p.epoch();
        point.trainLoss = p.trainLoss();
        point.validationLoss = p.validationLoss();
        point.learningRate = p.learningRate();
        point.tokensPerSecond = p.tokensPerSecond();
        point.recordedAt = p.occurredAt();
        point.persist();
    }
}
