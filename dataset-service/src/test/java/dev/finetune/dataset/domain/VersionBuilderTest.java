package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionBuilderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SplitRatios RATIOS = new SplitRatios(0.1, 0.1);

    private static List<Example> reviews(int from, int to) {
        List<Example> examples = new ArrayList<>();
        for (int i = from; i < to; i++) {
            examples.add(Example.of("review number " + i, i % 4 == 0 ? "bad" : "good"));
        }
        return examples;
    }

    /** A version of {@code examples}, on top of {@code parent} (its examples by split) when given. */
    private static Built build(TaskType task, Map<Split, List<Example>> parent, boolean append, List<Example> examples) {
        ExampleParser parser = ExampleParserTest.parser(task, 1000, null);
        try (VersionBuilder builder = new VersionBuilder(task, RATIOS, parser, MAPPER)) {
            parent.forEach((split, list) -> list.forEach(e -> builder.parent(e, split, 1, append)));
            examples.forEach(e -> builder.add(e, e.contentText().length()));
            VersionBuilder.Built built = builder.build();
            Map<Split, List<Example>> splits = new HashMap<>();
            for (Split s : Split.values()) {
                List<Example> read = new ArrayList<>();
                for (String line : Files.readAllLines(built.files().get(s))) {
                    read.add(ExampleParser.fromStoredRow(task, MAPPER.readTree(line), MAPPER));
                }
                splits.put(s, read);
            }
            return new Built(built, splits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Built(VersionBuilder.Built version, Map<Split, List<Example>> splits) {
        Map<Example, Split> splitOf() {
            Map<Example, Split> of = new HashMap<>();
            splits.forEach((s, list) -> list.forEach(e -> of.put(e, s)));
            return of;
        }
    }

    @Test
    void appendedDataNeverMovesAnExampleAndCountsWhatWasAdded() {
        Built v1 = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 200));
        Built v2 = build(TaskType.CLASSIFICATION, v1.splits(), true, reviews(150, 400));

        Map<Example, Split> before = v1.splitOf();
        Map<Example, Split> after = v2.splitOf();
        assertThat(after).hasSize(400);
        before.forEach((example, split) -> assertThat(after.get(example)).as(example.toString()).isEqualTo(split));
        assertThat(v2.version().added()).isEqualTo(200);
        assertThat(v2.version().removed()).isZero();
        assertThat(v2.version().duplicates()).isEqualTo(50);  // 150..199 were in v1 already
    }

    @Test
    void aReplacementKeepsTheSplitOfEveryExampleItShares() {
        Built v1 = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 200));
        Built v2 = build(TaskType.CLASSIFICATION, v1.splits(), false, reviews(100, 300));

        Map<Example, Split> before = v1.splitOf();
        v2.splitOf().forEach((example, split) -> {
            if (before.containsKey(example)) {
                assertThat(split).isEqualTo(before.get(example));
            }
        });
        assertThat(v2.version().added()).isEqualTo(100);
        assertThat(v2.version().removed()).isEqualTo(100);
    }

    @Test
    void classificationSplitsAreStratifiedByLabel() {
        Built v = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 400));  // 100 bad, 300 good

        assertThat(v.version().labelCounts()).isEqualTo(Map.of(
                "train", Map.of("bad", 80, "good", 240),
                "validation", Map.of("bad", 10, "good", 30),
                "test", Map.of("bad", 10, "good", 30)));
    }

    @Test
    void theSameInputOnTheSameParentIsTheSameVersion() {
        Built a = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 100));
        Built b = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 100));
        Built again = build(TaskType.CLASSIFICATION, a.splits(), false, reviews(0, 100));
        Built other = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 101));

        assertThat(b.version().version()).isEqualTo(a.version().version());
        assertThat(again.version().version()).isEqualTo(a.version().version());
        assertThat(other.version().version()).isNotEqualTo(a.version().version()).startsWith("v").hasSize(17);
    }

    @Test
    void examplesOfOneGroupShareASplit() {
        List<Example> turns = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            turns.add(new Example(TaskType.GENERATION,
                    Map.of("input", "question " + i, "output", "answer " + i, "group", "conversation-" + i / 5)));
        }
        Built v = build(TaskType.GENERATION, Map.of(), false, turns);

        Map<String, Split> splitOfGroup = new HashMap<>();
        v.splitOf().forEach((e, split) -> assertThat(splitOfGroup.computeIfAbsent(e.group(), g -> split))
                .as(e.group()).isEqualTo(split));
        assertThat(splitOfGroup).hasSize(60);
        assertThat(v.version().labelCounts()).isEmpty();
    }

    @Test
    void tokenStatisticsPerSplit() {
        Built v = build(TaskType.CLASSIFICATION, Map.of(), false, reviews(0, 100));
        TokenStats train = v.version().tokens().get("train");

        assertThat(train.examples()).isEqualTo(v.version().counts().get(Split.TRAIN));
        assertThat(train.min()).isEqualTo("review number 0".length());
        assertThat(train.max()).isEqualTo("review number 99".length());
        assertThat(train.p50()).isBetween(train.min(), train.max());
    }

    @Test
    void tooFewExamplesForEverySplitIsAClearError() {
        assertThatThrownBy(() -> build(TaskType.CLASSIFICATION, Map.of(), false, reviews(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("2 examples leave the validation and test split empty; upload more examples");
        assertThatThrownBy(() -> build(TaskType.CLASSIFICATION, Map.of(), false,
                List.of(Example.of("same", "a"), Example.of("same", "b"))))
                .hasMessage("no example is left after cleaning: 2 examples have a text that also appears with another label");
    }
}
