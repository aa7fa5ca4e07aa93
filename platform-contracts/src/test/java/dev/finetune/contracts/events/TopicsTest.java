package dev.finetune.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesAreKebabCaseAndUnique() {
        assertThat(Topics.allNames()).allMatch(n -> n.matches("[a-z]+(-[a-z]+)*(\\.dlq)?"));
        assertThat(new HashSet<>(Topics.allNames())).hasSameSizeAs(Topics.allNames());
    }

    @Test
    void everyConsumedTopicHasADeadLetterTopic() {
        assertThat(Topics.allNames()).contains("training-requests.dlq", "labeled-examples.dlq",
                "training-completed.dlq", "evaluation-completed.dlq");
        assertThat(Topics.allNames()).contains("model-promoted.dlq", "task-revisions.dlq")
                .doesNotContain("model-registered.dlq");
        assertThat(Topics.allNames()).hasSize(17);
    }

    @Test
    void trainingRequestsHaveRoomForSeveralTrainerReplicas() {
        assertThat(Topics.byName(Topics.TRAINING_REQUESTS).orElseThrow().partitions()).isGreaterThan(1);
    }
}
