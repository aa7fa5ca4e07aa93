package dev.finetune.registry.api;

import dev.finetune.contracts.security.Roles;
import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.DefaultValue;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Model versions with their lineage and metrics, newest first, a page at a time; filter by model name, job or stage. */
@Path("/api/models")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

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

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        ModelVersion v = ModelVersion.findById(id);
        return v == null
                ? Response.status(404).entity(new ProblemResponse("no model version " + id, List.of())).build()
                : Response.ok(ModelVersionView.of(v)).build();
    }
}
