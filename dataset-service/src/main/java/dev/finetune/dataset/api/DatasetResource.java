package dev.finetune.dataset.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.Names;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.dataset.config.DatasetConfig;
import dev.finetune.dataset.domain.Cleaning;
import dev.finetune.dataset.domain.CleaningReport;
import dev.finetune.dataset.domain.ExampleParser;
import dev.finetune.dataset.domain.FieldMapping;
import dev.finetune.dataset.domain.InvalidRecordPolicy;
import dev.finetune.dataset.domain.UploadFormat;
import dev.finetune.dataset.domain.SplitRatios;
import dev.finetune.dataset.domain.VersionDraft;
import dev.finetune.dataset.messaging.DatasetEvents;
import dev.finetune.dataset.storage.DatasetStore;
import dev.finetune.service.api.ProblemResponse;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Uploads of JSONL or CSV datasets and reads of their versions. An upload is validated completely before
 * anything is stored: a bad upload gets every problem back and changes nothing, unless the caller asked for
 * invalid records to be skipped ({@code onInvalid=skip}). Valid examples are then cleaned (duplicates and
 * conflicting labels dropped), split and stored.
 */
@Path("/api/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private static final Logger LOG = Logger.getLogger(DatasetResource.class);

    private final DatasetStore datasets;
    private final DatasetEvents events;
    private final DatasetConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;

    public DatasetResource(DatasetStore datasets, DatasetEvents events, DatasetConfig config, ObjectMapper mapper,
                           MeterRegistry meters) {
        this.datasets = datasets;
        this.events = events;
        this.config = config;
        this.mapper = mapper;
        this.meters = meters;
    }

    @POST
    @Path("/{name}")
    @Consumes({"application/x-ndjson", "application/jsonl", "text/csv", MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_OCTET_STREAM})
    public Response upload(@PathParam("name") String name,
                           @QueryParam("task") @DefaultValue("CLASSIFICATION") String taskName,
                           @QueryParam("textField") @DefaultValue(FieldMapping.DEFAULT_TEXT_FIELD) String textField,
                           @QueryParam("labelField") @DefaultValue(FieldMapping.DEFAULT_LABEL_FIELD) String labelField,
                           @QueryParam("onInvalid") @DefaultValue("fail") String onInvalid,
                           @QueryParam("format") String formatName,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           InputStream body) {
        Optional<TaskType> task = parseTask(taskName);
        Optional<InvalidRecordPolicy> policy = InvalidRecordPolicy.parse(onInvalid);
        Optional<UploadFormat> format = formatName == null
                ? Optional.of(UploadFormat.fromMediaType(contentType)) : UploadFormat.parse(formatName);
        FieldMapping fields = new FieldMapping(textField, labelField);
        List<String> requestProblems = new ArrayList<>();
        if (!Names.isValid(name)) {
            requestProblems.add("name: " + Names.RULE + " but was '" + name + "'");
        }
        if (task.isEmpty()) {
            requestProblems.add("task: must be one of " + List.of(TaskType.values()) + " but was '" + taskName + "'");
        }
        if (policy.isEmpty()) {
            requestProblems.add("onInvalid: must be fail or skip but was '" + onInvalid + "'");
        }
        if (format.isEmpty()) {
            requestProblems.add("format: must be jsonl or csv but was '" + formatName + "'");
        }
        requestProblems.addAll(fields.problems(task.orElse(TaskType.CLASSIFICATION)));
        if (!requestProblems.isEmpty()) {
            return badRequest("invalid request", requestProblems);
        }
        ExampleParser parser = new ExampleParser(mapper, task.get(), config.maxTextChars(), fields);
        ExampleParser.Parsed parsed = parser.parse(body, format.get());
        meters.counter("finetune.dataset.records", "outcome", "rejected").increment(parsed.rejectedRecords());
        if (!policy.get().accepts(parsed)) {
            String error = parsed.uploadProblem() != null
                    ? "the upload cannot be read; nothing was stored"
                    : parsed.examples().isEmpty()
                    ? "the upload has " + parsed.rejectedRecords() + " invalid records and no valid one; nothing was stored"
                    : "the upload has " + parsed.rejectedRecords() + " invalid records; nothing was stored";
            return badRequest(error, parsed.problems());
        }
        Cleaning.Cleaned cleaned = Cleaning.clean(parsed.examples());
        CleaningReport report = CleaningReport.of(cleaned, parsed.rejectedRecords());
        meters.counter("finetune.dataset.records", "outcome", "accepted").increment(cleaned.examples().size());
        meters.counter("finetune.dataset.records", "outcome", "duplicate").increment(report.duplicates());
        meters.counter("finetune.dataset.records", "outcome", "near-duplicate").increment(report.nearDuplicates());
        meters.counter("finetune.dataset.records", "outcome", "conflicting-label").increment(report.conflictingLabels());
        if (cleaned.examples().isEmpty()) {
            return badRequest("no example is left after cleaning; nothing was stored", List.of(
                    report.conflictingLabels() + " examples have a text that also appears with another label"));
        }
        VersionDraft draft;
        try {
            draft = VersionDraft.of(cleaned.examples(), task.get(),
                    new SplitRatios(config.validationRatio(), config.testRatio()), parser);
        } catch (IllegalArgumentException e) {
            return badRequest("the upload cannot be split; nothing was stored", List.of(e.getMessage()));
        }
        Optional<DatasetVersionCreated> existing = datasets.find(new DatasetRef(name, draft.version()));
        if (existing.isPresent()) {
            // announced again: the first announcement may have failed after the version was stored, and
            // consumers drop the repeat by its event id
            events.versionCreated(existing.get());
            return Response.ok(UploadResult.of(existing.get(), false, report, parsed.problems())).build();
        }
        DatasetVersionCreated created = datasets.save(name, draft, report);
        events.versionCreated(created);
        LOG.infof("dataset %s version %s: %d/%d/%d examples, %s", name, draft.version(),
                created.train().examples(), created.validation().examples(), created.test().examples(), report);
        return Response.status(Response.Status.CREATED)
                .entity(UploadResult.of(created, true, report, parsed.problems())).build();
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
        if (!Names.isValid(name) || !Names.isValid(version)) {
            return badRequest("invalid request", List.of("name and version: " + Names.RULE));
        }
        return datasets.find(new DatasetRef(name, version))
                .map(v -> Response.ok(v).build())
                .orElse(Response.status(Response.Status.NOT_FOUND)
                        .entity(new ProblemResponse("no version " + version + " of dataset " + name, List.of()))
                        .build());
    }

    /** The cleaning report of the upload that created a version. */
    @GET
    @Path("/{name}/versions/{version}/report")
    public Response report(@PathParam("name") String name, @PathParam("version") String version) {
        if (!Names.isValid(name) || !Names.isValid(version)) {
            return badRequest("invalid request", List.of("name and version: " + Names.RULE));
        }
        return datasets.report(new DatasetRef(name, version))
                .map(r -> Response.ok(r).build())
                .orElse(Response.status(Response.Status.NOT_FOUND)
                        .entity(new ProblemResponse("no cleaning report for version " + version + " of dataset "
                                + name, List.of()))
                        .build());
    }

    private static Optional<TaskType> parseTask(String name) {
        try {
            return Optional.of(TaskType.valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response badRequest(String error, List<String> problems) {
        return Response.status(Response.Status.BAD_REQUEST).entity(new ProblemResponse(error, problems)).build();
    }
}
