package dev.finetune.evaluator.messaging;

import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.evaluator.domain.ModelEvaluator;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Evaluates each successfully trained model from {@code training-completed} and publishes the outcome on
 * {@code evaluation-completed}; the record is acknowledged once that event is on the broker. Failed
 * trainings have nothing to evaluate (the registry records them). An event that cannot be parsed or
 * validated throws, and the failure strategy sends it to {@code training-completed.dlq} with the reason.
 */
@ApplicationScoped
public class TrainingCompletedConsumer {

    private static final Logger LOG = Logger.getLogger(TrainingCompletedConsumer.class);

    private final ModelEvaluator evaluator;
    private final MutinyEmitter<String> evaluations;

    public TrainingCompletedConsumer(ModelEvaluator evaluator,
                                     @Channel(Topics.EVALUATION_COMPLETED) MutinyEmitter<String> evaluations) {
        this.evaluator = evaluator;
        this.evaluations = evaluations;
    }

    @Incoming(Topics.TRAINING_COMPLETED)
    @Blocking
    public void onTrainingCompleted(String json) {
        TrainingCompleted training = EventCodec.decode(json, TrainingCompleted.class);
        if (training.outcome() != JobOutcome.SUCCEEDED) {
            LOG.infof("job %s failed in training, nothing to evaluate", training.jobId());
            return;
        }
        EvaluationCompleted result = evaluator.evaluate(training);
        evaluations.sendMessageAndAwait(KafkaRecord.of(result.key(), EventCodec.encode(result)));
    }
}
