package dev.finetune.registry.domain;

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

/** One stage change of a model version, kept forever: the audit trail of who moved what, when and why. */
@Entity
@Table(name = "stage_change")
public class StageChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "model_version_id")
    public long modelVersionId;
    @Column(name = "model_name")
    public String modelName;
    public int version;
    @Column(name = "from_stage")
    public String fromStage;
    @Column(name = "to_stage")
    public String toStage;
    @Column(name = "changed_by")
    public String changedBy;
    public String reason;
    @Column(name = "changed_at")
    public Instant changedAt;

    /** One version's stage changes, oldest first. */
    public static List<StageChange> historyOf(long modelVersionId) {
        return list("modelVersionId", Sort.ascending("changedAt", "id"), modelVersionId);
    }
}
