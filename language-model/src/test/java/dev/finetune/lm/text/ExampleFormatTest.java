package dev.finetune.lm.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleFormatTest {

    @Test
    void classificationRowsAreLabelWordExamplesInEitherFormat() {
        ExampleFormat plain = new ExampleFormat(true, null);
        ExampleFormat instructed = new ExampleFormat(true, PromptTemplate.CHATML);
        Map<String, Object> row = Map.of("text", "great film", "label", "positive");

        assertThat(plain.example(row)).isEqualTo(Examples.classification("great film", "positive"));
        TrainingExample chat = instructed.example(row);
        assertThat(chat.prompt()).isEqualTo(instructed.labelPrompt("great film"))
                .startsWith("<|im_start|>user\n" + ExampleFormat.CLASSIFY).contains("great film");
        assertThat(chat.completion()).isEqualTo(instructed.labelCompletion("positive")).isEqualTo("positive<|im_end|>");
    }

    @Test
    void instructionRowsUseTheTemplateAndTextRowsArePlain() {
        ExampleFormat format = new ExampleFormat(false, null);

        TrainingExample alpaca = format.example(Map.of("instruction", "Summarise.", "input", "A long report.",
                "output", "Short."));
        assertThat(alpaca.prompt()).isEqualTo("###Human: Summarise.\n\nA long report. ###Assistant:");
        assertThat(alpaca.completion()).isEqualTo(" Short.");
        assertThat(format.example(Map.of("text", "Once upon a time"))).isEqualTo(Examples.plainText("Once upon a time"));
    }
}
