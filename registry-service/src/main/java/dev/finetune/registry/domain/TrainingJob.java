package dev.finetune.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A training job as the registry saw it; hyperparameters are kept as the JSON they were requested with. */
@Entity
@Table(name = "training_job")
public class TrainingJob extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public String jobId;
    @Column(name = "model_name")
    public String modelName;
    @Column(name = "dataset_name")
    public String datasetName;
    @Column(name = "dataset_version")
    public String datasetVersion;
    @Column(name = "base_model")
    public String baseModel;
    public String method;
    public String hyperparameters;
    @Column(name = "requested_by")
    public String requestedBy;
    public String reason;
    @Enumerated(EnumType.STRING)
    public JobStatus status;
    public Integer step;
    @Column(name = "total_steps")
    public Integer totalSteps;
    @Column(name = "train_loss")
    public Double trainLoss;
    @Column(name = "validation_loss")
    public Double validationLoss;
    @Column(name = "tokens_per_second")
    public Double tokensPerSecond;
    @Column(name = "failure_reason")
    public String failureReason;
    @Column(name = "requested_at")
    public Instant requestedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** Optimistic lock: consumers of different topics update the same row concurrently. */
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
