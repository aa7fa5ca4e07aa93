package dev.finetune.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A job a task's run queued: the task, its revision, the run and the variant the job trains. */
@Entity
@Table(name = "task_run")
public class TaskRun extends PanacheEntityBase {

    @Id
    @Column(name = "job_id")
    public String jobId;
    @Column(name = "task_name")
    public String taskName;
    public int revision;
    public String variant;
    /** The run that queued it: the jobs of one {@code POST /runs}, compared when they have all ended. */
    @Column(name = "run_id")
    public String runId;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_at")
    public Instant requestedAt;
}
