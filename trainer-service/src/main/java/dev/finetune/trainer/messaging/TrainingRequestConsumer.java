package dev.finetune.trainer.messaging;

import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.events.Topics;
import dev.finetune.trainer.domain.TrainingJobRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes training requests off {@code training-requests}, one at a time per replica (PyTorch allows one
 * gradient collector per JVM), and acknowledges each only after its {@code TrainingCompleted} is on the
 * broker. A replica that dies mid-job leaves the record uncommitted, so the group hands it to another
 * replica, which retrains; a request whose job already ended is answered from the stored record. That is why
 * the channel's unacknowledged-record age check is switched off in application.properties. A request that
 * cannot be parsed or validated throws, and the failure strategy sends it to {@code training-requests.dlq}
 * with the reason.
 */
@ApplicationScoped
public class TrainingRequestConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingRequestConsumer.class);

    private final TrainingJobRunner runner;
    private final MutinyEmitter<String> progress;
    private final MutinyEmitter<String> completed;

    public TrainingRequestConsumer(TrainingJobRunner runner,
                                   @Channel(Topics.TRAINING_PROGRESS) MutinyEmitter<String> progress,
                                   @Channel(Topics.TRAINING_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.progress = progress;
        this.completed = completed;
    }

    @Incoming(Topics.TRAINING_REQUESTS)
    @Blocking
    public void onRequest(String json) {
        TrainingRequested request = EventCodec.decode(json, TrainingRequested.class);
        LOG.infof("job %s requested by %s", request.jobId(), request.requestedBy());
        TrainingCompleted outcome = runner.run(request, this::publishProgress);
        completed.sendMessageAndAwait(KafkaRecord.of(outcome.key(), EventCodec.encode(outcome)));
        LOG.infof("job %s %s", request.jobId(), outcome.outcome());
    }

    private void publishProgress(TrainingProgress update) {
        progress.sendMessageAndForget(KafkaRecord.of(update.key(), EventCodec.encode(update)));
    }
}
