package dev.finetune.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Hostile events: whatever a topic carries, decoding it as that topic's record either gives an event with no
 * problems or throws {@link InvalidEventException} (which consumers send to the DLQ), never another exception.
 *
 * <p>A coverage-guided fuzz test (Jazzer). A normal build replays the inputs kept under
 * {@code src/test/resources/.../EventFuzzTestInputs/} (found crashes stay there as regression cases); fuzzing runs
 * with {@code JAZZER_FUZZ=1 mvn -pl platform-contracts test -Dtest=EventFuzzTest}.
 */
class EventFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyPayloadIsAValidEventOrAnInvalidEventError(FuzzedDataProvider data) {
        Topics.Topic topic = data.pickValue(Topics.ALL);
        String json = data.consumeRemainingAsString();
        try {
            PlatformEvent event = EventCodec.decode(json, topic.recordType());
            assertThat(event.problems()).isEmpty();
        } catch (InvalidEventException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
