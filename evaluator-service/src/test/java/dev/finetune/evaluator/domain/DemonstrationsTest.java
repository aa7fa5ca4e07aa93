package dev.finetune.evaluator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemonstrationsTest {

    private static Map<String, Object> row(String text, String label) {
        return Map.of("text", text, "label", label);
    }

    /** Feeds rows until the chooser has enough, and counts how many it read. */
    private static int feed(Demonstrations d, List<Map<String, Object>> rows) {
        int read = 0;
        for (Map<String, Object> r : rows) {
            read++;
            if (!d.test(r)) {
                break;
            }
        }
        return read;
    }

    @Test
    void labelsTakeTurnsAndReadingStopsOnceEachHasItsShare() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row("pos " + i, "positive"));
        }
        rows.add(row("neg 0", "negative"));
        rows.add(row("odd", "unknown"));
        rows.add(row("neg 1", "negative"));
        rows.add(row("neg 2", "negative"));
        Demonstrations d = new Demonstrations(4, List.of("negative", "positive"));

        assertThat(feed(d, rows)).isEqualTo(13);
        assertThat(d.chosen()).extracting(r -> r.get("text")).containsExactly("neg 0", "pos 0", "neg 1", "pos 1");
    }

    @Test
    void aScarceLabelGivesFewerShotsRatherThanAnUnbalancedPrompt() {
        Demonstrations d = new Demonstrations(3, List.of("a", "b"));
        feed(d, List.of(row("a0", "a"), row("a1", "a"), row("a2", "a"), row("b0", "b")));

        assertThat(d.chosen()).extracting(r -> r.get("text")).containsExactly("a0", "b0", "a1");
    }

    @Test
    void tasksWithoutLabelsTakeTheFirstRows() {
        Demonstrations d = new Demonstrations(2, List.of());
        int read = feed(d, List.of(row("x", "-"), row("y", "-"), row("z", "-")));

        assertThat(read).isEqualTo(2);
        assertThat(d.chosen()).extracting(r -> r.get("text")).containsExactly("x", "y");
    }
}
