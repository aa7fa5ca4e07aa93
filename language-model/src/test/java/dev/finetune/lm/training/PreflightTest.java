package dev.finetune.lm.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pre-flight check on hand-made broken datasets, over bytes (tiny-random's tokenizer: one token a byte). */
class PreflightTest {

    private static final Tokenizer BYTES = BaseModel.resolve("tiny-random").tokenizer();
    private static final ExampleFormat CLASSIFY = new ExampleFormat(true, null);

    private static Map<String, Object> review(String text, String label) {
        return Map.of("text", text, "label", label);
    }

    private static List<Map<String, Object>> reviews(int n, String prefix) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(review(prefix + " " + i, i % 2 == 0 ? "good" : "bad"));
        }
        return rows;
    }

    private static Preflight.Report check(List<Map<String, Object>> train, List<Map<String, Object>> test,
                                          int sequenceLength) {
        Map<String, List<Map<String, Object>>> splits = new LinkedHashMap<>();
        splits.put("train", train);
        splits.put("validation", List.of());
        splits.put("test", test);
        return Preflight.check(splits, CLASSIFY, BYTES, sequenceLength, 128, Set.of("good", "bad"));
    }

    @Test
    void cleanDataPasses() {
        Preflight.Report report = check(reviews(20, "fine film"), reviews(5, "other film"), 64);

        assertThat(report.passed()).isTrue();
        assertThat(report.failures()).isEmpty();
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void labelsOutsideTheSetAndSharedExamplesFailWithTheirLines() {
        List<Map<String, Object>> train = reviews(10, "fine film");
        train.set(3, review("fine film 3", "meh"));
        List<Map<String, Object>> test = List.of(review("other", "good"), review("Fine  film 7", "bad"));

        Preflight.Report report = check(train, test, 64);

        assertThat(report.passed()).isFalse();
        assertThat(report.failures()).containsExactly(
                "1 labels outside the label set [bad, good]: train line 4 ('meh')",
                "1 examples shared between splits: test line 2 is train line 8");
    }

    @Test
    void examplesLongerThanTheContextFail() {
        List<Map<String, Object>> train = reviews(10, "film");
        train.set(0, review("x".repeat(200), "good"));

        assertThat(check(train, List.of(), 256).failures())
                .containsExactly("1 longer than the model's context of 128 tokens: train line 1 (221 tokens)");
    }

    @Test
    void responsesOutsideTheSequenceFailWhenTheyAreMoreThanAFewAndCutEndsAreWarnings() {
        // a start token, "Text: " + text + "\nLabel:" (13 bytes around the text), " good\n", the end token
        List<Map<String, Object>> train = reviews(40, "ok");
        train.set(5, review("y".repeat(30), "good"));                   // prompt 44 of 40: nothing learned
        train.set(9, review("z".repeat(22), "bad"));                    // 1 + 35 + 5 + 1 = 42: end cut
        Preflight.Report few = check(train, List.of(), 40);

        assertThat(few.passed()).as("1 of 40 is few").isTrue();
        assertThat(few.warnings()).containsExactly(
                "1 responses entirely outside the sequence length of 40 tokens (nothing of them is learned): "
                        + "train line 6 (prompt ends at token 44)",
                "1 responses cut before their end token by the sequence length of 40 (the model does not learn to "
                        + "stop): train line 10 (42 tokens)");

        for (int i = 0; i < 5; i++) {
            train.set(20 + i, review("w".repeat(40), "good"));
        }
        Preflight.Report many = check(train, List.of(), 40);
        assertThat(many.passed()).isFalse();
        assertThat(many.failures()).containsExactly("6 of 40 training examples (15%) learn nothing of their response "
                + "(more than 5%): raise sequenceLength or shorten the prompts");
    }
}
