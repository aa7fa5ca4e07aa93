package dev.finetune.registry.api;

import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.registry.domain.Promotions;
import dev.finetune.registry.messaging.RegistryEvents;
import dev.finetune.service.api.ProblemResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs a stage change for the API and announces its {@code ModelPromoted} events once it is committed. */
@ApplicationScoped
class StageChanges {

    private static final Logger LOG = Logger.getLogger(StageChanges.class);

    private final RegistryEvents events;

    StageChanges(RegistryEvents events) {
        this.events = events;
    }

    /** The change's outcome as an answer: what {@code view} shows, or the reason it was refused. */
    Response apply(Supplier<List<ModelPromoted>> change, Supplier<Object> view) {
        List<ModelPromoted> promoted;
        try {
            promoted = change.get();
        } catch (Promotions.Refused e) {
            return problem(e.status, e.getMessage());
        }
        for (ModelPromoted p : promoted) {
            events.modelPromoted(p);
            LOG.infof("%s version %d: %s -> %s by %s (%s)", p.modelName(), p.version(), p.fromStage(), p.toStage(),
                    p.changedBy(), p.reason());
        }
        return Response.ok(view.get()).build();
    }

    static Response problem(int status, String error, String... problems) {
        return Response.status(status).entity(new ProblemResponse(error, List.of(problems))).build();
    }
}
