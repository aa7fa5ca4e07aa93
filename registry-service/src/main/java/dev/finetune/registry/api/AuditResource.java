package dev.finetune.registry.api;

import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.StageChange;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** The audit trail: every stage change of every model version, who made it, when and why. */
@Path("/api/audit")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    /** One entry of the audit trail. */
    public record StageChangeView(long modelVersionId, String modelName, int version, String fromStage,
                                  String toStage, String changedBy, String reason, Instant changedAt) {

        public static StageChangeView of(StageChange c) {
            return new StageChangeView(c.modelVersionId, c.modelName, c.version, c.fromStage, c.toStage, c.changedBy,
                    c.reason, c.changedAt);
        }
    }

    /** The audit trail: stage changes, newest first, of one model name or all. */
    @GET
    public Response audit(@QueryParam("modelName") String modelName,
                          @QueryParam("limit") @DefaultValue("100") int limit,
                          @QueryParam("offset") @DefaultValue("0") int offset) {
        List<String> problems = Paging.problems(limit, offset);
        if (!problems.isEmpty()) {
            return Response.status(400).entity(new ProblemResponse("invalid paging", problems)).build();
        }
        var query = modelName == null
                ? StageChange.<StageChange>findAll(Sort.descending("changedAt", "id"))
                : StageChange.<StageChange>find("modelName", Sort.descending("changedAt", "id"), modelName);
        return Response.ok(query.range(offset, offset + limit - 1).list().stream().map(StageChangeView::of).toList())
                .build();
    }
}
