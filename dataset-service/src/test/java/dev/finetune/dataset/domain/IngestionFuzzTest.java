package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.finetune.contracts.events.TaskType;

/**
 * Hostile uploads: whatever bytes arrive, as JSONL or CSV, for any task, the parser answers with examples and
 * problems and never throws; every example it accepts is normalised and within the limits.
 *
 * <p>A coverage-guided fuzz test (Jazzer). A normal build replays the inputs kept under
 * {@code src/test/resources/.../IngestionFuzzTestInputs/}; fuzzing runs with
 * {@code JAZZER_FUZZ=1 mvn -pl dataset-service test -Dtest=IngestionFuzzTest}.
 */
class IngestionFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyUploadIsExamplesOrProblemsNeverAnException(FuzzedDataProvider data) {
        TaskType task = data.pickValue(TaskType.values());
        UploadFormat format = data.pickValue(UploadFormat.values());
        ExampleParser parser = ExampleParserTest.parser(task, 60, null);

        var parsed = ExampleParserTest.parse(parser, data.consumeRemainingAsBytes(), format);

        assertThat(parsed.examples()).hasSize(parsed.report().acceptedRecords());
        // the listed record problems, the upload's own problem (if any), and a line counting the rest
        assertThat(parsed.report().problems()).hasSizeLessThanOrEqualTo(ExampleParser.MAX_LISTED_PROBLEMS + 2);
        for (Example e : parsed.examples()) {
            for (Object value : e.row().values()) {
                if (value instanceof String text) {
                    assertThat(text).isNotBlank().hasSizeLessThanOrEqualTo(60).isEqualTo(text.strip())
                            .doesNotContainPattern("[\\p{Cc}&&[^\\n]]");
                }
            }
        }
    }
}
