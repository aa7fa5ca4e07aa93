package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VersionDraftTest {

    private final ExampleParser parser = new ExampleParser(new ObjectMapper(), TaskType.CLASSIFICATION, 1000);
    private final SplitRatios ratios = new SplitRatios(0.1, 0.1);

    private static List<Example> examples(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Example("review " + i, i % 3 == 0 ? "negative" : "positive"))
                .toList();
    }

    @Test
    void theSameContentMakesTheSameVersion() {
        VersionDraft a = VersionDraft.of(examples(200), TaskType.CLASSIFICATION, ratios, parser);
        VersionDraft b = VersionDraft.of(examples(200), TaskType.CLASSIFICATION, ratios, parser);
        assertThat(a.version()).isEqualTo(b.version()).startsWith("v").hasSize(17);
        assertThat(a.contentSha256()).isEqualTo(b.contentSha256());
    }

    @Test
    void differentContentMakesAnotherVersion() {
        List<Example> more = new ArrayList<>(examples(200));
        more.add(new Example("one more review", "positive"));
        assertThat(VersionDraft.of(more, TaskType.CLASSIFICATION, ratios, parser).version())
                .isNotEqualTo(VersionDraft.of(examples(200), TaskType.CLASSIFICATION, ratios, parser).version());
    }

    @Test
    void splitsEveryExampleOnceAndCollectsTheLabels() {
        VersionDraft d = VersionDraft.of(examples(200), TaskType.CLASSIFICATION, ratios, parser);
        assertThat(d.count(Split.TRAIN) + d.count(Split.VALIDATION) + d.count(Split.TEST)).isEqualTo(200);
        assertThat(d.labels()).containsExactly("negative", "positive");
        assertThat(new String(d.bytes(Split.TEST))).contains("\"label\":").endsWith("\n");
    }

    @Test
    void refusesAnUploadTooSmallToSplit() {
        assertThatThrownBy(() -> VersionDraft.of(examples(2), TaskType.CLASSIFICATION, ratios, parser))
                .hasMessageContaining("split empty");
    }
}
