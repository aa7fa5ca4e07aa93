package dev.finetune.registry.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.security.Roles;
import dev.finetune.contracts.storage.DatasetLayout;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
import dev.finetune.registry.api.AuditResource;
import dev.finetune.registry.api.CurveView;
import dev.finetune.registry.api.JobRequest;
import dev.finetune.registry.api.TaskResource;
import dev.finetune.registry.api.JobView;
import dev.finetune.registry.api.ModelVersionView;
import dev.finetune.registry.api.VersionComparison;
import dev.finetune.registry.domain.DatasetVersionRecord;
import dev.finetune.registry.domain.JobStatus;
import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.registry.domain.StageChange;
import dev.finetune.registry.domain.TaskRevision;
import dev.finetune.registry.domain.Tasks;
import dev.finetune.registry.domain.TrainingJob;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's pages, rendered from the registry's records: jobs, a job's live curves, a model version,
 * two versions compared, and datasets. A visitor without a viewer's token is sent to the sign-in page; what a
 * page's buttons do (train again, promote, roll back) goes through the API, which checks the roles again.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
public class DashboardResource {

    private static final int LIST_LIMIT = 50;

    private final SecurityIdentity identity;
    private final ObjectStore store;
    private final Template overview;
    private final Template job;
    private final Template model;
    private final Template compare;
    private final Template datasets;
    private final Template taskList;
    private final Template task;
    private final TaskResource taskResource;

    public DashboardResource(SecurityIdentity identity, ObjectStore store,
                             @Location("dashboard/overview.html") Template overview,
                             @Location("dashboard/job.html") Template job,
                             @Location("dashboard/model.html") Template model,
                             @Location("dashboard/compare.html") Template compare,
                             @Location("dashboard/datasets.html") Template datasets,
                             @Location("dashboard/tasks.html") Template taskList,
                             @Location("dashboard/task.html") Template task, TaskResource taskResource) {
        this.identity = identity;
        this.store = store;
        this.overview = overview;
        this.job = job;
        this.model = model;
        this.compare = compare;
        this.datasets = datasets;
        this.taskList = taskList;
        this.task = task;
        this.taskResource = taskResource;
    }

    /** Jobs by status and the newest model versions, with a form to compare two. */
    @GET
    public Response overview() {
        if (!viewer()) {
            return toSignIn();
        }
        List<JobView> jobs = TrainingJob.<TrainingJob>findAll(Sort.descending("requestedAt")).range(0, LIST_LIMIT - 1)
                .list().stream().map(JobView::of).toList();
        Map<JobStatus, Long> counts = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, TrainingJob.count("status", status));
        }
        List<ModelVersionView> models = ModelVersion.<ModelVersion>findAll(Sort.descending("createdAt"))
                .range(0, LIST_LIMIT - 1).list().stream().map(ModelVersionView::of).toList();
        return page(overview.data("jobs", jobs).data("counts", counts).data("models", models));
    }

    /** A job: its status, its curves (live while it trains), and a button to train again with its configuration. */
    @GET
    @Path("/jobs/{jobId}")
    public Response job(@PathParam("jobId") String jobId) {
        if (!viewer()) {
            return toSignIn();
        }
        TrainingJob found = TrainingJob.findById(jobId);
        if (found == null) {
            return notFound("no job " + jobId);
        }
        JobView view = JobView.of(found);
        Optional<ModelVersion> version = ModelVersion.find("jobId", jobId).firstResultOptional();
        JobRequest again = new JobRequest(view.modelName(), view.dataset(), view.baseModel(),
                TrainingMethod.valueOf(view.method()), view.hyperparameters(),
                "trained again from job " + jobId + " on the dashboard");
        return page(job.data("job", view).data("curve", json(CurveView.of(jobId))).data("curveJob", jobId)
                .data("live", found.status == JobStatus.QUEUED || found.status == JobStatus.RUNNING)
                .data("modelId", version.map(v -> v.id).orElse(null))
                .data("config", VersionComparison.flatFields("", view.hyperparameters()))
                .data("again", json(again)).data("operator", identity.hasRole(Roles.OPERATOR)));
    }

    /** A model version: lineage, metrics next to the baselines, confusion matrix, predictions, stage history. */
    @GET
    @Path("/models/{id}")
    public Response model(@PathParam("id") long id) {
        if (!viewer()) {
            return toSignIn();
        }
        ModelVersion v = ModelVersion.findById(id);
        if (v == null) {
            return notFound("no model version " + id);
        }
        ModelVersionView view = ModelVersionView.of(v);
        List<AuditResource.StageChangeView> history = StageChange.historyOf(id).stream()
                .map(AuditResource.StageChangeView::of).toList();
        return page(model.data("model", view).data("metrics", MetricRow.of(view.evaluationMetrics()))
                .data("config", VersionComparison.flatFields("", view.hyperparameters()))
                .data("training", MetricRow.of(view.trainingMetrics()))
                .data("details", EvaluationDetails.read(store, view.evaluationReport()))
                .data("history", history).data("curve", json(CurveView.of(view.jobId())))
                .data("curveJob", view.jobId()).data("live", false)
                .data("approver", identity.hasRole(Roles.APPROVER)));
    }

    /** Two versions side by side, and their training curves on one chart. */
    @GET
    @Path("/compare")
    public Response compare(@QueryParam("a") Long a, @QueryParam("b") Long b) {
        if (!viewer()) {
            return toSignIn();
        }
        ModelVersion first = a == null ? null : ModelVersion.findById(a);
        ModelVersion second = b == null ? null : ModelVersion.findById(b);
        if (first == null || second == null) {
            return notFound("choose two model versions to compare (a and b are model version ids)");
        }
        VersionComparison comparison = VersionComparison.of(ModelVersionView.of(first), ModelVersionView.of(second));
        return page(compare.data("c", comparison).data("curves", json(List.of(CurveView.of(first.jobId),
                CurveView.of(second.jobId)))));
    }

    /** Tasks, each at its newest revision. */
    @GET
    @Path("/tasks")
    public Response tasks() {
        if (!viewer()) {
            return toSignIn();
        }
        return page(taskList.data("tasks", taskResource.list()));
    }

    /** A task: its jobs side by side (the best marked), its revisions, and a button to run it. */
    @GET
    @Path("/tasks/{name}")
    public Response task(@PathParam("name") String name) {
        if (!viewer()) {
            return toSignIn();
        }
        List<TaskRevision> revisions = TaskRevision.history(name);
        if (revisions.isEmpty()) {
            return notFound("no task " + name);
        }
        TaskSpec spec = Tasks.spec(revisions.get(0));
        return page(task.data("name", name).data("spec", spec).data("revisions", revisions)
                .data("metric", TaskSpecs.metrics(spec).get(0))
                .data("runs", taskResource.runsOf(name)).data("operator", identity.hasRole(Roles.OPERATOR)));
    }

    /** Datasets and their versions, with each version's cleaning report. */
    @GET
    @Path("/datasets")
    public Response datasets() {
        if (!viewer()) {
            return toSignIn();
        }
        List<DatasetVersionRecord> versions = DatasetVersionRecord.<DatasetVersionRecord>findAll(
                Sort.ascending("datasetName").and("createdAt", Sort.Direction.Descending)).range(0, 199).list();
        List<DatasetRow> rows = new ArrayList<>();
        for (DatasetVersionRecord r : versions) {
            rows.add(new DatasetRow(r, cleaning(new DatasetRef(r.datasetName, r.version))));
        }
        return page(datasets.data("rows", rows));
    }

    /** One dataset version and what cleaning did to its input (empty when its statistics cannot be read). */
    public record DatasetRow(DatasetVersionRecord version, Map<String, Object> cleaning) {
    }

    private Map<String, Object> cleaning(DatasetRef ref) {
        try {
            JsonNode stats = EventCodec.mapper().readTree(store.readBytes(DatasetLayout.stats(ref)));
            Map<String, Object> out = new LinkedHashMap<>();
            stats.path("cleaning").fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
            out.put("added", stats.path("added").asText());
            out.put("removed", stats.path("removed").asText());
            out.put("source", stats.path("source").asText());
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Pages are for viewers (and every role above); anyone else is sent to sign in. */
    private boolean viewer() {
        return !identity.isAnonymous() && identity.hasRole(Roles.VIEWER);
    }

    private static Response toSignIn() {
        return Response.seeOther(URI.create(SessionResource.SIGN_IN)).build();
    }

    private Response page(TemplateInstance instance) {
        return Response.ok(instance.data("user", identity.getPrincipal().getName())).build();
    }

    private static Response notFound(String message) {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity(message).build();
    }

    /** JSON for a page's script, safe inside a {@code <script>} element. */
    static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
