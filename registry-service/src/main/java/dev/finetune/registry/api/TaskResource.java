package dev.finetune.registry.api;

import dev.finetune.contracts.events.Names;
import dev.finetune.contracts.events.TaskRevised;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.security.Roles;
import dev.finetune.contracts.tasks.TaskSpec;
import dev.finetune.contracts.tasks.TaskSpecs;
import dev.finetune.registry.domain.TaskRevision;
import dev.finetune.registry.domain.TaskRun;
import dev.finetune.registry.domain.Tasks;
import dev.finetune.registry.messaging.RegistryEvents;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Declarative tasks: apply a task file (YAML or JSON; every problem reported at once, nothing stored when there is
 * one; announced as {@code TaskRevised} on {@code task-revisions}), read a task with its revisions, run it (one job per variant, through {@code training-requests}), and see
 * its runs side by side.
 */
@Path("/api/tasks")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    private final Tasks tasks;
    private final RegistryEvents events;

    public TaskResource(Tasks tasks, RegistryEvents events) {
        this.tasks = tasks;
        this.events = events;
    }

    /** A revision of a task: the task as applied, who applied it and when. */
    public record TaskView(String name, int revision, TaskSpec spec, String createdBy, Instant createdAt) {

        static TaskView of(TaskRevision r) {
            return new TaskView(r.taskName, r.revision, Tasks.spec(r), r.createdBy, r.createdAt);
        }
    }

    /** What a run queued: each job's variant and id, and any job whose request the broker did not take. */
    public record RunStarted(String task, List<TaskRunView> jobs, List<String> notQueued) {
    }

    /** Every task, at its newest revision. */
    @GET
    public List<TaskView> list() {
        List<String> names = TaskRevision.<TaskRevision>findAll(Sort.ascending("taskName")).stream()
                .map(r -> r.taskName).distinct().toList();
        return names.stream().map(n -> TaskView.of(TaskRevision.latest(n).orElseThrow())).toList();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        return TaskRevision.latest(name).map(r -> Response.ok(TaskView.of(r)).build())
                .orElse(notFound(name));
    }

    /** Every revision of the task, newest first. */
    @GET
    @Path("/{name}/revisions")
    public Response revisions(@PathParam("name") String name) {
        List<TaskRevision> history = TaskRevision.history(name);
        return history.isEmpty() ? notFound(name)
                : Response.ok(history.stream().map(TaskView::of).toList()).build();
    }

    /**
     * Applies a task file: {@code 201} with the new revision, {@code 200} when the file says what the newest
     * revision says, {@code 400} with every problem (nothing stored).
     */
    @PUT
    @Path("/{name}")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON,
            MediaType.TEXT_PLAIN})
    @RolesAllowed(Roles.OPERATOR)
    public Response apply(@PathParam("name") String name, String body, @Context SecurityContext caller) {
        if (!Names.isValid(name)) {
            return Response.status(400).entity(new ProblemResponse("invalid task; nothing was stored",
                    List.of("name: " + Names.RULE + " but was '" + name + "'"))).build();
        }
        String by = caller.getUserPrincipal().getName();
        Tasks.Applied applied;
        try {
            applied = tasks.apply(name, body, by);
        } catch (Tasks.Refused e) {
            return refused(e);
        }
        // announced every time, so applying the same file again repairs an announcement that failed
        TaskRevision r = applied.revision();
        try {
            events.taskRevised(new TaskRevised(TaskRevised.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), name,
                    r.revision, Tasks.spec(r), by));
        } catch (RuntimeException e) {
            return Response.status(503).entity(new ProblemResponse("revision " + r.revision + " of task " + name
                    + " is stored but was not announced (" + e.getMessage() + "): apply the file again",
                    List.of())).build();
        }
        return Response.status(applied.created() ? 201 : 200).entity(TaskView.of(r)).build();
    }

    /** Runs the task's newest revision: one job per variant, {@code 202} with them. */
    @POST
    @Path("/{name}/runs")
    @RolesAllowed(Roles.OPERATOR)
    public Response run(@PathParam("name") String name, @Context SecurityContext caller) {
        List<TrainingRequested> requests;
        try {
            requests = tasks.startRun(name, caller.getUserPrincipal().getName());
        } catch (Tasks.Refused e) {
            return refused(e);
        }
        List<String> notQueued = new ArrayList<>();
        for (TrainingRequested request : requests) {
            Optional<String> why = events.queue(request);
            why.ifPresent(reason -> notQueued.add(request.jobId() + ": " + reason));
        }
        List<String> jobIds = requests.stream().map(TrainingRequested::jobId).toList();
        return Response.accepted(new RunStarted(name, runsOf(name).stream().filter(r -> jobIds.contains(r.jobId()))
                .toList(), notQueued)).build();
    }

    /** The task's jobs side by side, newest first: variant, status, main metric, baseline and gain, cost. */
    @GET
    @Path("/{name}/runs")
    public Response runs(@PathParam("name") String name) {
        Optional<TaskRevision> latest = TaskRevision.latest(name);
        if (latest.isEmpty()) {
            return notFound(name);
        }
        return Response.ok(runsOf(name)).build();
    }

    /** A known task's jobs side by side, newest run first, judged on its newest revision's main metric. */
    public List<TaskRunView> runsOf(String name) {
        String metric = TaskSpecs.metrics(Tasks.spec(TaskRevision.latest(name).orElseThrow())).get(0);
        return TaskRunView.of(TaskRun.list("taskName", Sort.descending("requestedAt").and("variant"), name), metric);
    }

    private static Response refused(Tasks.Refused e) {
        return Response.status(e.status).entity(new ProblemResponse(e.getMessage(), e.problems)).build();
    }

    private static Response notFound(String name) {
        return Response.status(404).entity(new ProblemResponse("no task " + name, List.of())).build();
    }
}
