package dev.finetune.evaluator.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.ModelPromoted;
import dev.finetune.contracts.events.Topics;
import dev.finetune.evaluator.storage.EvaluationStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps, per model name, which version is in production ({@code evaluations/production/<name>.json}), so that every
 * new version is also compared with it on its own test split. The topic is keyed by model name, so one model's
 * changes arrive in order.
 */
@ApplicationScoped
public class ModelPromotedConsumer {

    private static final Logger LOG = Logger.getLogger(ModelPromotedConsumer.class);

    private final EvaluationStore store;

    public ModelPromotedConsumer(EvaluationStore store) {
        this.store = store;
    }

    @Incoming(Topics.MODEL_PROMOTED)
    @Blocking
    public void onPromoted(String json) {
        ModelPromoted promoted = EventCodec.decode(json, ModelPromoted.class);
        if (ModelPromoted.PRODUCTION.equals(promoted.toStage())) {
            store.putProduction(promoted);
            LOG.infof("%s: production is now version %d (job %s)", promoted.modelName(), promoted.version(),
                    promoted.jobId());
        } else if (ModelPromoted.PRODUCTION.equals(promoted.fromStage())) {
            store.production(promoted.modelName()).filter(p -> p.version() == promoted.version())
                    .ifPresent(p -> store.deleteProduction(promoted.modelName()));
        }
    }
}
