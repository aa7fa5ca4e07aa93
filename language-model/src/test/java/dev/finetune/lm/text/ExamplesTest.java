package dev.finetune.lm.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExamplesTest {

    @Test
    void classificationPutsTheTextInThePromptAndTheLabelInTheCompletion() {
        TrainingExample example = Examples.classification("I loved it", "positive");

        assertThat(example.prompt()).isEqualTo("Text: I loved it\nLabel:");
        assertThat(example.completion()).isEqualTo(" positive\n");
        assertThat(example.isPlainText()).isFalse();
    }

    @Test
    void plainTextHasAnEmptyPrompt() {
        TrainingExample example = Examples.plainText("Once upon a time");

        assertThat(example.prompt()).isEmpty();
        assertThat(example.completion()).isEqualTo("Once upon a time");
        assertThat(example.isPlainText()).isTrue();
    }
}
