package dev.finetune.dataset.storage;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.SplitArtifact;
import dev.finetune.contracts.storage.Buckets;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.dataset.domain.CleaningReport;
import dev.finetune.dataset.domain.Split;
import dev.finetune.dataset.domain.VersionDraft;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Dataset versions in the {@code datasets} bucket, laid out as {@link DatasetLayout} says. The manifest is
 * written after the splits and the cleaning report ({@value #REPORT}), and HEAD moves last, so a failure
 * part-way leaves no version behind.
 */
@ApplicationScoped
public class DatasetStore {

    /** The cleaning report of the upload that created a version, next to its manifest. */
    public static final String REPORT = "report.json";

    private final ObjectStore store;
    private final ObjectMapper mapper;

    public DatasetStore(ObjectStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** The cleaning report of a version; empty when there is no such version or it predates reports. */
    public Optional<CleaningReport> report(DatasetRef ref) {
        S3Uri uri = DatasetLayout.file(ref, REPORT);
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(store.readBytes(uri), CleaningReport.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    public Optional<DatasetVersionCreated> find(DatasetRef ref) {
        return DatasetLayout.readManifest(store, ref);
    }

    public Optional<String> headVersion(String dataset) {
        S3Uri head = DatasetLayout.head(dataset);
        return store.exists(head) ? Optional.of(new String(store.readBytes(head), StandardCharsets.UTF_8).trim())
                : Optional.empty();
    }

    /** Every stored version of a dataset, oldest first. */
    public List<DatasetVersionCreated> versions(String dataset) {
        return store.list(Buckets.DATASETS, dataset + "/").stream()
                .filter(key -> key.endsWith("/" + DatasetLayout.MANIFEST))
                .map(key -> key.substring(dataset.length() + 1, key.length() - DatasetLayout.MANIFEST.length() - 1))
                .map(version -> find(new DatasetRef(dataset, version)))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(DatasetVersionCreated::occurredAt))
                .toList();
    }

    /** Stores the splits and the cleaning report, then the manifest, then moves HEAD; returns the version's record. */
    public DatasetVersionCreated save(String dataset, VersionDraft draft, CleaningReport report) {
        DatasetRef ref = new DatasetRef(dataset, draft.version());
        try {
            store.putBytes(DatasetLayout.file(ref, REPORT), mapper.writeValueAsBytes(report), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String parent = headVersion(dataset).filter(v -> !v.equals(draft.version())).orElse(null);
        DatasetVersionCreated created = new DatasetVersionCreated(
                DatasetVersionCreated.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), ref, parent, draft.task(),
                draft.labels(), putSplit(ref, draft, Split.TRAIN), putSplit(ref, draft, Split.VALIDATION),
                putSplit(ref, draft, Split.TEST), draft.contentSha256(), report.rejected());
        store.putEvent(DatasetLayout.manifest(ref), created);
        store.putBytes(DatasetLayout.head(dataset),
                draft.version().getBytes(StandardCharsets.UTF_8), "text/plain");
        return created;
    }

    private SplitArtifact putSplit(DatasetRef ref, VersionDraft draft, Split split) {
        S3Uri uri = DatasetLayout.file(ref, split.fileName());
        return new SplitArtifact(store.putBytes(uri, draft.bytes(split), "application/x-ndjson"), draft.count(split));
    }
}
