package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CleaningTest {

    @Test
    void keepsTheFirstOfExactDuplicates() {
        var cleaned = Cleaning.clean(List.of(
                Example.of("a", "x"), Example.of("b", "y"), Example.of("a", "x"), Example.of("a", "x")));
        assertThat(cleaned.examples()).containsExactly(Example.of("a", "x"), Example.of("b", "y"));
        assertThat(cleaned.duplicates()).isEqualTo(2);
        assertThat(cleaned.conflictingLabels()).isZero();
    }

    @Test
    void dropsEveryCopyOfATextWithConflictingLabels() {
        var cleaned = Cleaning.clean(List.of(
                Example.of("a", "x"), Example.of("b", "y"), Example.of("a", "z"), Example.of("a", "x"),
                Example.of("c", "y")));
        assertThat(cleaned.examples()).containsExactly(Example.of("b", "y"), Example.of("c", "y"));
        assertThat(cleaned.conflictingLabels()).isEqualTo(3);
        assertThat(cleaned.duplicates()).isZero();
    }

    @Test
    void languageModelingExamplesOnlyHaveDuplicates() {
        var cleaned = Cleaning.clean(List.of(Example.of("a", null), Example.of("a", null), Example.of("b", null)));
        assertThat(cleaned.examples()).containsExactly(Example.of("a", null), Example.of("b", null));
        assertThat(cleaned.duplicates()).isEqualTo(1);
    }

    @Test
    void everyDroppedExampleIsCountedOnce() {
        List<Example> in = List.of(Example.of("a", "x"), Example.of("a", "x"), Example.of("a", "y"),
                Example.of("b", "x"), Example.of("b", "x"), Example.of("c", "x"));
        var cleaned = Cleaning.clean(in);
        assertThat(cleaned.examples().size() + cleaned.duplicates() + cleaned.nearDuplicates()
                + cleaned.conflictingLabels()).isEqualTo(in.size());
        assertThat(List.of(cleaned.duplicates(), cleaned.nearDuplicates(), cleaned.conflictingLabels()))
                .containsExactly(1, 0, 3);
    }

    @Test
    void textsEqualUpToCasePunctuationAndSpacingAreNearDuplicatesOrConflicts() {
        var cleaned = Cleaning.clean(List.of(
                Example.of("The pizza was great.", "pos"), Example.of("the pizza was GREAT!!", "pos"),
                Example.of("The pizza was great.", "pos"), Example.of("Cold fries", "neg"),
                Example.of("cold  fries?", "pos"), Example.of("Café au lait", "pos"),
                Example.of("café au lait", "pos")));

        assertThat(cleaned.examples()).containsExactly(Example.of("The pizza was great.", "pos"),
                Example.of("Café au lait", "pos"));
        assertThat(cleaned.nearDuplicates()).isEqualTo(2);
        assertThat(cleaned.duplicates()).isEqualTo(1);
        assertThat(cleaned.conflictingLabels()).isEqualTo(2); // "Cold fries" and "cold  fries?" disagree
        assertThat(Cleaning.matchKey("  Hello,   WORLD! :) ")).isEqualTo("hello world");
    }

    @Test
    void generationPairsAreDuplicatesOnlyWhenInputAndOutputMatch() {
        Example a = new Example(dev.finetune.contracts.events.TaskType.GENERATION,
                java.util.Map.of("input", "Long text.", "output", "Short."));
        Example sameInputOtherOutput = new Example(dev.finetune.contracts.events.TaskType.GENERATION,
                java.util.Map.of("input", "Long text.", "output", "Brief."));
        Example shouted = new Example(dev.finetune.contracts.events.TaskType.GENERATION,
                java.util.Map.of("input", "LONG TEXT", "output", "short"));

        var cleaned = Cleaning.clean(List.of(a, sameInputOtherOutput, shouted, a));

        assertThat(cleaned.examples()).containsExactly(a, sameInputOtherOutput);
        assertThat(List.of(cleaned.duplicates(), cleaned.nearDuplicates(), cleaned.conflictingLabels()))
                .containsExactly(1, 1, 0);
        assertThat(a.splitKey()).isEqualTo(sameInputOtherOutput.splitKey());
    }
}
