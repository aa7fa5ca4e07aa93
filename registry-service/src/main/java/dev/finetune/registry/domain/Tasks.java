package dev.finetune.registry.domain;

import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.storage.Digests;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Declarative tasks: applying a task file makes a new revision (the old ones are kept, never changed) and sets the
 * promotion gate of its model name; running a task accepts one job per variant of its newest revision, within the
 * task's limits, on the dataset version it names (or the newest one the registry has seen).
 */
@ApplicationScoped
public class Tasks {

    private final Promotions promotions;
    private final Registry registry;

    public Tasks(Promotions promotions, Registry registry) {
        this.promotions = promotions;
        this.registry = registry;
    }

    /** A request that cannot be carried out: the status to answer and every problem. */
    public static class Refused extends RuntimeException {
        public final int status;
        public final List<String> problems;

        Refused(int status, String message, List<String> problems) {
            super(message);
            this.status = status;
            this.problems = problems;
        }
    }

    /** What applying a file did: the task's newest revision, and whether this call made it. */
    public record Applied(TaskRevision revision, boolean created) {
    }

    /**
     * Checks a task file and keeps it as the task's next revision, unless it says exactly what the newest one says;
     * sets the model name's promotion gate from the file's. Nothing is stored when the file has a problem.
     */
    @Transactional
    public Applied apply(String name, String text, String by) {
        TaskSpecs.Checked checked = TaskSpecs.read(text);
        if (!checked.valid()) {
            throw new Refused(400, "invalid task; nothing was stored", checked.problems());
        }
        TaskSpec spec = checked.spec();
        if (!spec.name().equals(name)) {
            throw new Refused(400, "invalid task; nothing was stored",
                    List.of("name: the file names task '" + spec.name() + "' but it was applied as '" + name + "'"));
        }
        String json = TaskSpecs.toJson(spec);
        String sha256 = Digests.sha256(json.getBytes(StandardCharsets.UTF_8));
        TaskRevision latest = TaskRevision.latest(name).orElse(null);
        if (latest != null && latest.specSha256.equals(sha256)) {
            return new Applied(latest, false);
        }
        TaskRevision revision = new TaskRevision();
        revision.taskName = name;
        revision.revision = latest == null ? 1 : latest.revision + 1;
        revision.spec = json;
        revision.specSha256 = sha256;
        revision.createdBy = by;
        revision.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS); // as the database keeps it
        revision.persist();
        if (spec.gate() != null) {
            TaskSpec.GateSpec gate = spec.gate();
            promotions.putPolicy(name, gate.metric(), PromotionPolicy.higherIsBetter(gate.metric()),
                    gate.minGainOverBaseline() == null ? 0 : gate.minGainOverBaseline(),
                    gate.minGainOverProduction() == null ? 0 : gate.minGainOverProduction(),
                    gate.targetStage() == null ? ModelPromoted.STAGING : gate.targetStage(), by);
        }
        return new Applied(revision, true);
    }

    /**
     * Accepts the jobs of one run of the task's newest revision (one per variant) and returns their requests, for
     * the caller to publish. Refused when the task is unknown, its dataset has no version yet, or the run would
     * pass the task's limits of jobs at once or in all. Runs of one task are serialised on its newest revision.
     */
    @Transactional
    public List<TrainingRequested> startRun(String name, String by) {
        TaskRevision revision = TaskRevision.newestFirst(name).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(() -> new Refused(404, "no task " + name, List.of()));
        TaskSpec spec = spec(revision);
        String datasetVersion = datasetVersion(spec);
        List<TaskSpec.Run> runs = TaskSpecs.runs(spec);
        TaskSpec.Limits limits = spec.limitsOrDefaults();
        long active = TaskRun.count("taskName = ?1 and jobId in (select j.jobId from TrainingJob j where j.status in ?2)",
                name, List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.TRAINED));
        long total = TaskRun.count("taskName", name);
        List<String> problems = new ArrayList<>();
        if (active + runs.size() > limits.concurrent()) {
            problems.add("limits.maxConcurrentRuns: " + limits.concurrent() + " jobs of task " + name
                    + " may be queued or training at once; " + active + " are, and this run adds " + runs.size());
        }
        if (total + runs.size() > limits.total()) {
            problems.add("limits.maxTotalRuns: task " + name + " may queue " + limits.total() + " jobs in all; "
                    + total + " were, and this run adds " + runs.size());
        }
        if (!problems.isEmpty()) {
            throw new Refused(409, "the run was not started", problems);
        }
        List<TrainingRequested> requests = new ArrayList<>();
        Instant now = Instant.now();
        String runId = UUID.randomUUID().toString();
        for (TaskSpec.Run run : runs) {
            TrainingRequested request = TaskSpecs.request(spec, run, UUID.randomUUID().toString(), datasetVersion, by,
                    "task " + name + " revision " + revision.revision + ", variant " + run.variant()).withDefaults();
            registry.acceptJob(request);
            TaskRun taskRun = new TaskRun();
            taskRun.jobId = request.jobId();
            taskRun.taskName = name;
            taskRun.revision = revision.revision;
            taskRun.variant = run.variant();
            taskRun.runId = runId;
            taskRun.requestedBy = by;
            taskRun.requestedAt = now;
            taskRun.persist();
            requests.add(request);
        }
        return requests;
    }

    /** A stored revision's task. */
    public static TaskSpec spec(TaskRevision revision) {
        return TaskSpecs.fromJson(revision.spec);
    }

    private static String datasetVersion(TaskSpec spec) {
        String version = spec.dataset().versionOrLatest();
        if (!TaskSpec.LATEST.equals(version)) {
            return version;
        }
        return DatasetVersionRecord.<DatasetVersionRecord>find("datasetName", Sort.descending("createdAt"),
                        spec.dataset().name()).firstResultOptional().map(v -> v.version)
                .orElseThrow(() -> new Refused(409, "the run was not started", List.of("dataset.version: dataset "
                        + spec.dataset().name() + " has no version yet: upload its data to dataset-service first")));
    }
}
