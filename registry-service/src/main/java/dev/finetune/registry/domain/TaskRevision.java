package dev.finetune.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One revision of a task file as it was applied: its canonical JSON, who applied it and when. */
@Entity
@Table(name = "task_revision")
public class TaskRevision extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "task_name")
    public String taskName;
    public int revision;
    public String spec;
    @Column(name = "spec_sha256")
    public String specSha256;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<TaskRevision> latest(String taskName) {
        return newestFirst(taskName).firstResultOptional();
    }

    /** Every revision of a task, newest first. */
    public static List<TaskRevision> history(String taskName) {
        return newestFirst(taskName).list();
    }

    /** A task's revisions, newest first, as a query (to lock, or to page). */
    static PanacheQuery<TaskRevision> newestFirst(String taskName) {
        return find("taskName", Sort.descending("revision"), taskName);
    }
}
