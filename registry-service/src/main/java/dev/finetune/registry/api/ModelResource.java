package dev.finetune.registry.api;

import dev.finetune.registry.domain.ModelVersion;
import dev.finetune.service.api.ProblemResponse;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Model versions with their lineage and metrics, newest first; filter by model name, job or stage. */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @GET
    public List<ModelVersionView> list(@QueryParam("modelName") String modelName, @QueryParam("jobId") String jobId,
                                       @QueryParam("stage") String stage) {
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
        return ModelVersion.<ModelVersion>find(query.toString(), Sort.descending("createdAt"), params).list()
                .stream().map(ModelVersionView::of).toList();
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
