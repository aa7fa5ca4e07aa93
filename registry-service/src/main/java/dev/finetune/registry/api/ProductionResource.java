package dev.finetune.registry.api;

import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.Promotions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** The production version of each model name, and rollback to the one before (approvers). */
@Path("/api/production")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ProductionResource {

    private final Promotions promotions;
    private final StageChanges changes;

    public ProductionResource(Promotions promotions, StageChanges changes) {
        this.promotions = promotions;
        this.changes = changes;
    }

    /** The body of a rollback: why. */
    public record RollbackRequest(String reason) {
    }

    /** The version of a model name in production. */
    @GET
    @Path("/{modelName}")
    public Response production(@PathParam("modelName") String modelName) {
        return promotions.production(modelName).map(v -> Response.ok(ModelVersionView.of(v)).build())
                .orElse(StageChanges.problem(404, "model " + modelName + " has no production version"));
    }

    @POST
    @Path("/{modelName}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.APPROVER)
    public Response rollback(@PathParam("modelName") String modelName, RollbackRequest body,
                             @Context SecurityContext caller) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return StageChanges.problem(400, "invalid rollback", "reason: is required: say why production goes back");
        }
        String by = caller.getUserPrincipal().getName();
        return changes.apply(() -> promotions.rollback(modelName, by, body.reason()),
                () -> ModelVersionView.of(promotions.production(modelName).orElseThrow()));
    }
}
