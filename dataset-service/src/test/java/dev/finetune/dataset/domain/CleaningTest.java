package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CleaningTest {

    @Test
    void keepsTheFirstOfExactDuplicates() {
        var cleaned = Cleaning.clean(List.of(
                new Example("a", "x"), new Example("b", "y"), new Example("a", "x"), new Example("a", "x")));
        assertThat(cleaned.examples()).containsExactly(new Example("a", "x"), new Example("b", "y"));
        assertThat(cleaned.duplicates()).isEqualTo(2);
        assertThat(cleaned.conflictingLabels()).isZero();
    }

    @Test
    void dropsEveryCopyOfATextWithConflictingLabels() {
        var cleaned = Cleaning.clean(List.of(
                new Example("a", "x"), new Example("b", "y"), new Example("a", "z"), new Example("a", "x"),
                new Example("c", "y")));
        assertThat(cleaned.examples()).containsExactly(new Example("b", "y"), new Example("c", "y"));
        assertThat(cleaned.conflictingLabels()).isEqualTo(3);
        assertThat(cleaned.duplicates()).isZero();
    }

    @Test
    void languageModelingExamplesOnlyHaveDuplicates() {
        var cleaned = Cleaning.clean(List.of(new Example("a", null), new Example("a", null), new Example("b", null)));
        assertThat(cleaned.examples()).containsExactly(new Example("a", null), new Example("b", null));
        assertThat(cleaned.duplicates()).isEqualTo(1);
    }

    @Test
    void everyDroppedExampleIsCountedOnce() {
        List<Example> in = List.of(new Example("a", "x"), new Example("a", "x"), new Example("a", "y"),
                new Example("b", "x"), new Example("b", "x"), new Example("c", "x"));
        var cleaned = Cleaning.clean(in);
        assertThat(cleaned.examples().size() + cleaned.duplicates() + cleaned.nearDuplicates()
                + cleaned.conflictingLabels()).isEqualTo(in.size());
        assertThat(CleaningReport.of(cleaned, 4)).isEqualTo(new CleaningReport(1, 0, 3, 4));
    }

    @Test
    void textsEqualUpToCasePunctuationAndSpacingAreNearDuplicatesOrConflicts() {
        var cleaned = Cleaning.clean(List.of(
                new Example("The pizza was great.", "pos"), new Example("the pizza was GREAT!!", "pos"),
                new Example("The pizza was great.", "pos"), new Example("Cold fries", "neg"),
                new Example("cold  fries?", "pos"), new Example("Café au lait", "pos"),
                new Example("café au lait", "pos")));

        assertThat(cleaned.examples()).containsExactly(new Example("The pizza was great.", "pos"),
                new Example("Café au lait", "pos"));
        assertThat(cleaned.nearDuplicates()).isEqualTo(2);
        assertThat(cleaned.duplicates()).isEqualTo(1);
        assertThat(cleaned.conflictingLabels()).isEqualTo(2); // "Cold fries" and "cold  fries?" disagree
        assertThat(Cleaning.matchKey("  Hello,   WORLD! :) ")).isEqualTo("hello world");
    }
}
