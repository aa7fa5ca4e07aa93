package dev.finetune.registry.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.registry.domain.Registry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes what the registry originates: training requests from its job and task APIs, registered and promoted
 * models, applied tasks.
 */
@ApplicationScoped
public class RegistryEvents {

    private static final Logger LOG = Logger.getLogger(RegistryEvents.class);

    /**
     * The outgoing channel to {@code training-requests}. It cannot share the topic's name because this
     * service also consumes that topic, and a channel name is either incoming or outgoing.
     */
    static final String REQUESTS_OUT = Topics.TRAINING_REQUESTS + "-out";

    private final MutinyEmitter<String> requests;
    private final MutinyEmitter<String> registered;
    private final MutinyEmitter<String> promoted;
    private final MutinyEmitter<String> tasks;
    private final Registry registry;

    public RegistryEvents(@Channel(REQUESTS_OUT) MutinyEmitter<String> requests,
                          @Channel(Topics.MODEL_REGISTERED) MutinyEmitter<String> registered,
                          @Channel(Topics.MODEL_PROMOTED) MutinyEmitter<String> promoted,
                          @Channel(Topics.TASK_REVISIONS) MutinyEmitter<String> tasks, Registry registry) {
        this.requests = requests;
        this.registered = registered;
        this.promoted = promoted;
        this.tasks = tasks;
        this.registry = registry;
    }

    /**
     * Publishes the request of a job the registry accepted; when the broker does not take it, the job is marked
     * failed with the reason, and the reason is returned (empty when it was queued).
     */
    public Optional<String> queue(TrainingRequested request) {
        try {
            trainingRequested(request);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s could not be published", request.jobId());
            registry.jobNotPublished(request.jobId(), e.getMessage());
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void trainingRequested(PlatformEvent request) {
        requests.sendMessageAndAwait(KafkaRecord.of(request.key(), EventCodec.encode(request)));
    }

    public void modelRegistered(PlatformEvent event) {
        registered.sendMessageAndAwait(KafkaRecord.of(event.key(), EventCodec.encode(event)));
    }

    public void modelPromoted(PlatformEvent event) {
        promoted.sendMessageAndAwait(KafkaRecord.of(event.key(), EventCodec.encode(event)));
    }

    public void taskRevised(PlatformEvent event) {
        tasks.sendMessageAndAwait(KafkaRecord.of(event.key(), EventCodec.encode(event)));
    }
}
