package dev.finetune.registry.api;

import dev.finetune.contracts.events.Names;
import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.PromotionPolicy;
import dev.finetune.registry.domain.Promotions;
import dev.finetune.service.api.ProblemResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

/**
 * The promotion gate of each model name: the metric it gates on and the gains a new version needs over the baseline
 * and over production. Anyone may read it; admins set it.
 */
@Path("/api/policies")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final Promotions promotions;

    public PolicyResource(Promotions promotions) {
        this.promotions = promotions;
    }

    /** A policy as set and shown. */
    public record PolicyView(String modelName, String metric, Boolean higherIsBetter, Double minGainOverBaseline,
                             Double minGainOverProduction, String targetStage, String updatedBy, Instant updatedAt) {

        static PolicyView of(PromotionPolicy p) {
            return new PolicyView(p.modelName, p.metric, p.higherIsBetter, p.minGainOverBaseline,
                    p.minGainOverProduction, p.targetStage, p.updatedBy, p.updatedAt);
        }
    }

    @GET
    @Path("/{modelName}")
    public Response policy(@PathParam("modelName") String modelName) {
        PromotionPolicy p = PromotionPolicy.findById(modelName);
        return p == null ? StageChanges.problem(404, "model " + modelName + " has no promotion policy")
                : Response.ok(PolicyView.of(p)).build();
    }

    /** Sets the promotion gate of a model name: admins only. */
    @PUT
    @Path("/{modelName}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response putPolicy(@PathParam("modelName") String modelName, PolicyView body,
                              @Context SecurityContext caller) {
        if (body == null) {
            return StageChanges.problem(400, "invalid policy", "body: a JSON policy is required");
        }
        List<String> problems = new ArrayList<>(PromotionPolicy.problems(body.metric(), body.targetStage(),
                body.minGainOverBaseline(), body.minGainOverProduction()));
        if (!Names.isValid(modelName)) {
            problems.add(0, "modelName: " + Names.RULE + " but was '" + modelName + "'");
        }
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid policy; nothing was stored", problems))
                    .build();
        }
        boolean higherIsBetter = body.higherIsBetter() != null ? body.higherIsBetter()
                : PromotionPolicy.higherIsBetter(body.metric());
        return Response.ok(PolicyView.of(promotions.putPolicy(modelName, body.metric(), higherIsBetter,
                body.minGainOverBaseline(), body.minGainOverProduction(), body.targetStage(),
                caller.getUserPrincipal().getName()))).build();
    }
}
