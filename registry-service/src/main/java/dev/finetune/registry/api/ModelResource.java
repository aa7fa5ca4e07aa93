package dev.finetune.registry.api;

import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.registry.domain.Promotions;
import dev.finetune.registry.domain.StageChange;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Parameters;
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
import java.util.List;

/**
 * Model versions with their lineage, metrics and the promotion gate's decision, newest first, a page at a time;
 * filter by model name, job or stage; two versions compared. Approvers move a version to another stage; each
 * version's stage history.
 */
@Path("/api/models")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final Promotions promotions;
    private final StageChanges changes;

    public ModelResource(Promotions promotions, StageChanges changes) {
        this.promotions = promotions;
        this.changes = changes;
    }

    /** The body of a manual stage change: where to, and why. */
    public record StageRequest(String stage, String reason) {
    }

    @GET
    public Response list(@QueryParam("modelName") String modelName, @QueryParam("jobId") String jobId,
                         @QueryParam("stage") String stage, @QueryParam("limit") @DefaultValue("100") int limit,
                         @QueryParam("offset") @DefaultValue("0") int offset) {
        List<String> problems = Paging.problems(limit, offset);
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid paging", problems)).build();
        }
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (modelName != null) {
            query.append(" and modelName = :modelName");
            params = params.and("modelName", modelName);
        }
        if (jobId != null) {
            query.append(" and jobId = :jobId");
            params = params.and("jobId", jobId);
        }
        if (stage != null) {
            query.append(" and stage = :stage");
            params = params.and("stage", stage);
        }
        return Response.ok(ModelVersion.<ModelVersion>find(query.toString(), Sort.descending("createdAt"), params)
                .range(offset, offset + limit - 1).list().stream().map(ModelVersionView::of).toList()).build();
    }

    /** Two versions side by side: lineage field by field, metrics with the change from {@code a} to {@code b}. */
    @GET
    @Path("/compare")
    public Response compare(@QueryParam("a") Long a, @QueryParam("b") Long b) {
        List<String> problems = new java.util.ArrayList<>();
        if (a == null) {
            problems.add("a: is required: the id of the first model version");
        }
        if (b == null) {
            problems.add("b: is required: the id of the second model version");
        }
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid comparison", problems)).build();
        }
        ModelVersion first = ModelVersion.findById(a);
        ModelVersion second = ModelVersion.findById(b);
        if (first == null || second == null) {
            return Response.status(404).entity(new ProblemResponse("no model version "
                    + (first == null ? a : b), List.of())).build();
        }
        return Response.ok(VersionComparison.of(ModelVersionView.of(first), ModelVersionView.of(second))).build();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        ModelVersion v = ModelVersion.findById(id);
        return v == null
                ? Response.status(404).entity(new ProblemResponse("no model version " + id, List.of())).build()
                : Response.ok(ModelVersionView.of(v)).build();
    }


    @POST
    @Path("/{id}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.APPROVER)
    public Response changeStage(@PathParam("id") long id, StageRequest body, @Context SecurityContext caller) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return StageChanges.problem(400, "invalid stage change", "reason: is required: say why the version moves");
        }
        String by = caller.getUserPrincipal().getName();
        return changes.apply(() -> promotions.changeStage(id, body.stage(), by, body.reason()),
                () -> ModelVersionView.of(ModelVersion.findById(id)));
    }

    /** Every stage change of one version, oldest first. */
    @GET
    @Path("/{id}/history")
    public Response history(@PathParam("id") long id) {
        return Response.ok(StageChange.historyOf(id).stream().map(AuditResource.StageChangeView::of).toList()).build();
    }
}
