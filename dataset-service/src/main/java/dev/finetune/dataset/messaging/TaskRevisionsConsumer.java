package dev.finetune.dataset.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.InvalidEventException;
import dev.finetune.contracts.events.TaskRevised;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.FieldMapping;
import dev.finetune.dataset.domain.RetrainingPolicy;
import dev.finetune.dataset.ingest.DatasetVersions;
import dev.finetune.dataset.storage.DatasetStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps a dataset's settings as the tasks that train on it state them: each applied task sets its dataset's task
 * type, field mapping, split ratios, labels, the prompt-only baseline (template and shots) and automatic
 * retraining, over the settings already there (what the task leaves out stays). Settings the dataset cannot take
 * (another task type than its versions hold, for one) go to the DLQ with every problem.
 */
@ApplicationScoped
public class TaskRevisionsConsumer {

    private static final Logger LOG = Logger.getLogger(TaskRevisionsConsumer.class);

    private final DatasetVersions versions;
    private final DatasetStore datasets;

    public TaskRevisionsConsumer(DatasetVersions versions, DatasetStore datasets) {
        this.versions = versions;
        this.datasets = datasets;
    }

    @Incoming(Topics.TASK_REVISIONS)
    @Blocking
    public void onTaskRevised(String json) {
        TaskRevised event = EventCodec.decode(json, TaskRevised.class);
        String dataset = event.spec().dataset().name();
        DatasetSettings merged = datasets.settings(dataset).orElse(DatasetSettings.NONE)
                .overriddenBy(settingsOf(event.spec()));
        List<String> problems = versions.replaceSettings(dataset, merged);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("TaskRevised (task " + event.name() + " revision " + event.revision()
                    + ", for dataset " + dataset + ")", problems);
        }
        LOG.infof("dataset %s: settings of task %s revision %d (applied by %s)", dataset, event.name(),
                event.revision(), event.appliedBy());
    }

    /** The dataset settings a task states; null where it says nothing. */
    static DatasetSettings settingsOf(TaskSpec spec) {
        TaskSpec.DatasetSpec d = spec.dataset();
        Map<String, String> f = d.fields() == null ? Map.of() : d.fields();
        FieldMapping fields = d.fields() == null ? null : new FieldMapping(f.get("text"), f.get("label"),
                f.get("instruction"), f.get("input"), f.get("output"), f.get("messages"), f.get("group"));
        TaskSpec.RetrainingSpec r = spec.retraining();
        RetrainingPolicy retraining = r == null ? null : new RetrainingPolicy(Boolean.TRUE.equals(r.enabled()),
                r.minNewExamples() == null ? RetrainingPolicy.OFF.minNewExamples() : r.minNewExamples(),
                r.minInterval() == null ? RetrainingPolicy.OFF.minInterval() : r.minInterval());
        return new DatasetSettings(spec.task(), fields, null, d.validationRatio(), d.testRatio(), null, null, null,
                spec.labels(), spec.prompt() == null ? null : spec.prompt().template(),
                spec.prompt() == null ? null : spec.prompt().shots(), retraining);
    }
}
