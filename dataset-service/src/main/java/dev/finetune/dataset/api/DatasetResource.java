package dev.finetune.dataset.api;

import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.Names;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.security.Roles;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.FieldMapping;
import dev.finetune.dataset.domain.InvalidRecordPolicy;
import dev.finetune.dataset.domain.Split;
import dev.finetune.dataset.domain.UploadFormat;
import dev.finetune.dataset.domain.VersionDiff;
import dev.finetune.dataset.ingest.DatasetVersions;
import dev.finetune.dataset.retraining.AutomaticRetraining;
import dev.finetune.dataset.storage.DatasetStore;
import dev.finetune.service.api.ProblemResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Uploads of JSONL or CSV datasets, per-dataset settings, and reads and diffs of versions. An upload is streamed
 * through validation and cleaning into a new version; a bad upload gets every problem back and changes nothing,
 * unless the dataset's policy skips invalid records ({@code onInvalid=skip}).
 */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class DatasetResource {

    private static final Logger LOG = Logger.getLogger(DatasetResource.class);

    private final DatasetStore datasets;
    private final DatasetVersions versions;
    private final AutomaticRetraining retraining;

    public DatasetResource(DatasetStore datasets, DatasetVersions versions, AutomaticRetraining retraining) {
        this.datasets = datasets;
        this.versions = versions;
        this.retraining = retraining;
    }

    @POST
    @Path("/{name}")
    @RolesAllowed(Roles.DATA_EDITOR)
    @Consumes({"application/x-ndjson", "application/jsonl", "text/csv", MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_OCTET_STREAM})
    public Response upload(@PathParam("name") String name,
                           @QueryParam("task") String taskName,
                           @QueryParam("textField") String textField,
                           @QueryParam("labelField") String labelField,
                           @QueryParam("instructionField") String instructionField,
                           @QueryParam("inputField") String inputField,
                           @QueryParam("outputField") String outputField,
                           @QueryParam("messagesField") String messagesField,
                           @QueryParam("groupField") String groupField,
                           @QueryParam("onInvalid") String onInvalid,
                           @QueryParam("format") String formatName,
                           @QueryParam("mode") @DefaultValue("replace") String mode,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @Context SecurityContext caller,
                           InputStream body) {
        List<String> problems = new ArrayList<>();
        if (!Names.isValid(name)) {
            problems.add("name: " + Names.RULE + " but was '" + name + "'");
        }
        TaskType task = taskName == null ? null : parseTask(taskName, problems);
        InvalidRecordPolicy policy = onInvalid == null ? null : InvalidRecordPolicy.parse(onInvalid).orElse(null);
        if (onInvalid != null && policy == null) {
            problems.add("onInvalid: must be fail or skip but was '" + onInvalid + "'");
        }
        Optional<UploadFormat> format = formatName == null
                ? Optional.of(UploadFormat.fromMediaType(contentType)) : UploadFormat.parse(formatName);
        if (format.isEmpty()) {
            problems.add("format: must be jsonl or csv but was '" + formatName + "'");
        }
        if (!mode.equals("replace") && !mode.equals("append")) {
            problems.add("mode: must be replace or append but was '" + mode + "'");
        }
        FieldMapping fields = new FieldMapping(textField, labelField, instructionField, inputField, outputField,
                messagesField, groupField);
        DatasetSettings overrides = new DatasetSettings(task, fields, policy, null, null, null, null, null, null,
                null, null, null);
        if (Names.isValid(name)) {
            problems.addAll(versions.settings(name, overrides).problems());
        }
        if (!problems.isEmpty()) {
            return badRequest("invalid request", problems);
        }
        DatasetVersions.Outcome outcome = versions.upload(name, overrides, mode.equals("append"), format.get(), body,
                caller.getUserPrincipal().getName());
        if (outcome instanceof DatasetVersions.Stored stored) {
            if (stored.created()) {
                retrainIfDue(name);
            }
            return Response.status(stored.created() ? Response.Status.CREATED : Response.Status.OK)
                    .entity(UploadResult.of(stored)).build();
        }
        DatasetVersions.Rejected rejected = (DatasetVersions.Rejected) outcome;
        return badRequest(rejected.error(), rejected.problems());
    }

    /** New data counts toward automatic retraining; a failed check is logged and never fails the upload. */
    private void retrainIfDue(String name) {
        try {
            retraining.check(name);
        } catch (RuntimeException e) {
            LOG.warnf(e, "dataset %s: automatic retraining check failed", name);
        }
    }

    /** The dataset's settings, completed by the service's defaults. */
    @GET
    @Path("/{name}/settings")
    public Response settings(@PathParam("name") String name) {
        if (!Names.isValid(name)) {
            return badRequest("invalid request", List.of("name: " + Names.RULE));
        }
        return Response.ok(versions.settings(name, DatasetSettings.NONE)).build();
    }

    /** Replaces the dataset's settings; fields left out take the service's defaults. */
    @PUT
    @Path("/{name}/settings")
    @RolesAllowed(Roles.DATA_EDITOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response putSettings(@PathParam("name") String name, DatasetSettings settings) {
        if (!Names.isValid(name)) {
            return badRequest("invalid request", List.of("name: " + Names.RULE));
        }
        if (settings == null) {
            return badRequest("invalid settings", List.of("body: the settings, a JSON object, are required"));
        }
        List<String> problems = versions.replaceSettings(name, settings);
        if (!problems.isEmpty()) {
            return badRequest("invalid settings; nothing was stored", problems);
        }
        return Response.ok(versions.settings(name, DatasetSettings.NONE)).build();
    }

    @GET
    @Path("/{name}/versions")
    public Response versions(@PathParam("name") String name) {
        if (!Names.isValid(name)) {
            return badRequest("invalid request", List.of("name: " + Names.RULE));
        }
        return Response.ok(datasets.versions(name)).build();
    }

    @GET
    @Path("/{name}/versions/{version}")
    public Response version(@PathParam("name") String name, @PathParam("version") String version) {
        return withVersion(name, version, v -> Response.ok(v).build());
    }

    /** The cleaning report of the input that made a version. */
    @GET
    @Path("/{name}/versions/{version}/report")
    public Response report(@PathParam("name") String name, @PathParam("version") String version) {
        return withVersion(name, version, v -> datasets.report(v.dataset())
                .map(r -> Response.ok(r).build()).orElse(notFound("no cleaning report for " + version)));
    }

    /** Counts per split and label, token statistics, what changed since the parent, the settings used. */
    @GET
    @Path("/{name}/versions/{version}/stats")
    public Response stats(@PathParam("name") String name, @PathParam("version") String version) {
        return withVersion(name, version, v -> datasets.stats(v.dataset())
                .map(s -> Response.ok(s).build()).orElse(notFound("no statistics for " + version)));
    }

    /** The version's dataset card, in Markdown. */
    @GET
    @Path("/{name}/versions/{version}/card")
    @Produces("text/markdown")
    public Response card(@PathParam("name") String name, @PathParam("version") String version) {
        return withVersion(name, version, v -> datasets.card(v.dataset())
                .map(c -> Response.ok(c, "text/markdown; charset=utf-8").build())
                .orElse(notFound("no card for " + version)));
    }

    /** What changed from one version to another, example by example. */
    @GET
    @Path("/{name}/diff")
    public Response diff(@PathParam("name") String name, @QueryParam("from") String from,
                         @QueryParam("to") String to) {
        if (from == null || to == null) {
            return badRequest("invalid request", List.of("from and to: both versions are required"));
        }
        return withVersion(name, from, older -> withVersion(name, to, newer -> {
            VersionDiff diff = new VersionDiff();
            for (Split s : Split.values()) {
                datasets.readSplit(older, s, e -> diff.from(e, s));
            }
            for (Split s : Split.values()) {
                datasets.readSplit(newer, s, e -> diff.to(e, s));
            }
            for (Split s : Split.values()) {
                datasets.readSplit(older, s, e -> diff.fromAgain(e, s));
            }
            return Response.ok(diff.result(from, to)).build();
        }));
    }

    private Response withVersion(String name, String version,
                                 Function<DatasetVersionCreated, Response> then) {
        if (!Names.isValid(name) || version == null || !Names.isValid(version)) {
            return badRequest("invalid request", List.of("name and version: " + Names.RULE));
        }
        return datasets.find(new DatasetRef(name, version)).map(then)
                .orElse(notFound("no version " + version + " of dataset " + name));
    }

    private static TaskType parseTask(String name, List<String> problems) {
        try {
            return TaskType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("task: must be one of " + List.of(TaskType.values()) + " but was '" + name + "'");
            return null;
        }
    }

    private static Response notFound(String error) {
        return Response.status(Response.Status.NOT_FOUND).entity(new ProblemResponse(error, List.of())).build();
    }

    private static Response badRequest(String error, List<String> problems) {
        return Response.status(Response.Status.BAD_REQUEST).entity(new ProblemResponse(error, problems)).build();
    }
}
