package dev.finetune.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** One trained model: its lineage, where its weights are, and its metrics (JSON text). */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "model_name")
    public String modelName;
    public int version;
    @Column(name = "job_id")
    public String jobId;
    public String stage;
    @Column(name = "dataset_name")
    public String datasetName;
    @Column(name = "dataset_version")
    public String datasetVersion;
    @Column(name = "dataset_sha256")
    public String datasetSha256;
    @Column(name = "base_model")
    public String baseModel;
    public String method;
    public String hyperparameters;
    @Column(name = "model_uri")
    public String modelUri;
    @Column(name = "model_sha256")
    public String modelSha256;
    @Column(name = "model_size_bytes")
    public long modelSizeBytes;
    /** The platform build that trained it; null for versions recorded before builds said. */
    @Column(name = "code_version")
    public String codeVersion;
    @Column(name = "training_metrics")
    public String trainingMetrics;
    @Column(name = "evaluation_metrics")
    public String evaluationMetrics;
    @Column(name = "evaluation_report_uri")
    public String evaluationReportUri;
    @Column(name = "evaluation_report_sha256")
    public String evaluationReportSha256;
    @Column(name = "evaluation_failure_reason")
    public String evaluationFailureReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "evaluated_at")
    public Instant evaluatedAt;
    /** Whether the promotion gate passed this version; null until it was evaluated under a policy. */
    @Column(name = "gate_passed")
    public Boolean gatePassed;
    /** The gate's decision in words, with its figures (or why no gate applied). */
    @Column(name = "gate_decision")
    public String gateDecision;
    /** Optimistic lock: consumers of different topics update the same row concurrently. */
    @Version
    @Column(name = "row_version")
    public long rowVersion;
}
