package dev.finetune.registry.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A dataset version announced on {@code dataset-versions}. */
@Entity
@Table(name = "dataset_version")
@IdClass(DatasetVersionRecord.Key.class)
public class DatasetVersionRecord extends PanacheEntityBase {

    @Id
    @Column(name = "dataset_name")
    public String datasetName;
    @Id
    public String version;
    @Column(name = "parent_version")
    public String parentVersion;
    public String task;
    @Column(name = "content_sha256")
    public String contentSha256;
    @Column(name = "train_count")
    public int trainCount;
    @Column(name = "validation_count")
    public int validationCount;
    @Column(name = "test_count")
    public int testCount;
    @Column(name = "created_at")
    public Instant createdAt;

    /** The composite primary key. */
    public static class Key implements Serializable {
        public String datasetName;
        public String version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(datasetName, k.datasetName) && Objects.equals(version, k.version);
        }

        @Override
        public int hashCode() {
            return Objects.hash(datasetName, version);
        }
    }
}
