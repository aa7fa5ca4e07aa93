package dev.finetune.registry.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.PlatformEvent;
import dev.finetune.contracts.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes what the registry originates: training requests from its job API, registered and promoted models. */
@ApplicationScoped
public class RegistryEvents {

    /**
     * The outgoing channel to {@code training-requests}. It cannot share the topic's name because this
     * service also consumes that topic, and a channel name is either incoming or outgoing.
     */
    static final String REQUESTS_OUT = Topics.TRAINING_REQUESTS + "-out";

    private final MutinyEmitter<String> requests;
    private final MutinyEmitter<String> registered;
    private final MutinyEmitter<String> promoted;

    public RegistryEvents(@Channel(REQUESTS_OUT) MutinyEmitter<String> requests,
                          @Channel(Topics.MODEL_REGISTERED) MutinyEmitter<String> registered,
                          @Channel(Topics.MODEL_PROMOTED) MutinyEmitter<String> promoted) {
        this.requests = requests;
        this.registered = registered;
        this.promoted = promoted;
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
}
