package dev.finetune.registry.api;

import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.Registry;
import dev.finetune.registry.domain.TrainingJob;
import dev.finetune.registry.messaging.LiveProgress;
import dev.finetune.registry.messaging.RegistryEvents;
import io.smallrye.mutiny.Multi;
import org.jboss.resteasy.reactive.RestStreamElementType;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job API: a validated request is recorded as QUEUED, then published on {@code training-requests};
 * the trainer's events move it along from there.
 */
@Path("/api/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class JobResource {

    private static final Logger LOG = Logger.getLogger(JobResource.class);

    private final Registry registry;
    private final RegistryEvents events;

    private final LiveProgress live;

    public JobResource(Registry registry, RegistryEvents events, LiveProgress live) {
        this.registry = registry;
        this.events = events;
        this.live = live;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    public Response submit(JobRequest body, @Context SecurityContext caller) {
        if (body == null) {
            return Response.status(400).entity(new ProblemResponse("invalid job request",
                    List.of("body: a JSON job request is required"))).build();
        }
        String modelName = body.modelName() != null ? body.modelName()
                : body.dataset() != null ? body.dataset().name() : null;
        TrainingRequested request = new TrainingRequested(TrainingRequested.SCHEMA_VERSION, UUID.randomUUID(),
                Instant.now(), UUID.randomUUID().toString(), modelName, body.dataset(), body.baseModel(),
                body.method(), body.hyperparameters(), caller.getUserPrincipal().getName(),
                body.reason() == null ? "requested through the job API" : body.reason());
        List<String> problems = request.problems();
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid job request", problems)).build();
        }
        request = request.withDefaults();
        TrainingJob job = registry.acceptJob(request);
        Optional<String> notQueued = events.queue(request);
        if (notQueued.isPresent()) {
            return Response.status(503).entity(new ProblemResponse("the job could not be queued: " + notQueued.get(),
                    List.of())).build();
        }
        return Response.accepted(JobView.of(job)).build();
    }

    /** Jobs, newest first, a page at a time. */
    @GET
    public Response list(@QueryParam("limit") @DefaultValue("100") int limit,
                         @QueryParam("offset") @DefaultValue("0") int offset) {
        List<String> problems = Paging.problems(limit, offset);
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid paging", problems)).build();
        }
        return Response.ok(TrainingJob.<TrainingJob>findAll(Sort.descending("requestedAt"))
                .range(offset, offset + limit - 1).list().stream().map(JobView::of).toList()).build();
    }

    @GET
    @Path("/{jobId}")
    public Response get(@PathParam("jobId") String jobId) {
        TrainingJob job = TrainingJob.findById(jobId);
        return job == null
                ? Response.status(404).entity(new ProblemResponse("no job " + jobId, List.of())).build()
                : Response.ok(JobView.of(job)).build();
    }

    /** The job's training curves, every progress snapshot so far (a running job's grow as it trains). */
    @GET
    @Path("/{jobId}/curve")
    public Response curve(@PathParam("jobId") String jobId) {
        if (TrainingJob.findById(jobId) == null) {
            return Response.status(404).entity(new ProblemResponse("no job " + jobId, List.of())).build();
        }
        return Response.ok(CurveView.of(jobId)).build();
    }

    /**
     * The job's progress snapshots as they are published, as server-sent events (one JSON point each); the stream
     * ends when the client goes. Read {@code /curve} first for the points so far.
     */
    @GET
    @Path("/{jobId}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<CurveView.Point> progress(@PathParam("jobId") String jobId) {
        return live.of(jobId).map(CurveView.Point::of);
    }
}
