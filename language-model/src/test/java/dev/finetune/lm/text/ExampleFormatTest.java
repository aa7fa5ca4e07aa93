package dev.finetune.lm.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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

    @Test
    void inputOutputPairsTakeTheInputAsTheInstruction() {
        TrainingExample pair = new ExampleFormat(false, null).example(Map.of("input", "Long report.", "output", "Short."));

        assertThat(pair.prompt()).isEqualTo("###Human: Long report. ###Assistant:");
        assertThat(pair.completion()).isEqualTo(" Short.");
    }

    @Test
    void conversationsLearnTheLastAnswerWithEarlierTurnsInThePrompt() {
        Map<String, Object> row = Map.of("messages", List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hi"),
                Map.of("role", "assistant", "content", "Hello."),
                Map.of("role", "user", "content", "Capital of France?"),
                Map.of("role", "assistant", "content", "Paris.")));

        TrainingExample chatml = new ExampleFormat(false, PromptTemplate.CHATML).example(row);

        assertThat(chatml.prompt()).isEqualTo("<|im_start|>user\nBe brief.\n\nHi<|im_end|>\n<|im_start|>assistant\n"
                + "Hello.<|im_end|>\n<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(chatml.completion()).isEqualTo("Paris.<|im_end|>");
        assertThat(new ExampleFormat(false, null).example(row).prompt())
                .isEqualTo("###Human: Be brief.\n\nHi ###Assistant: Hello. ###Human: Capital of France? ###Assistant:");
    }

    @Test
    void conversationsThatDoNotEndWithAnAnswerToAUserAreRefused() {
        ExampleFormat format = new ExampleFormat(false, null);

        assertThatThrownBy(() -> format.example(Map.of("messages", List.of(Map.of("role", "user", "content", "Hi")))))
                .hasMessageContaining("must end with an assistant message");
        assertThatThrownBy(() -> format.example(Map.of("messages", List.of(
                Map.of("role", "system", "content", "Be brief."), Map.of("role", "assistant", "content", "Ok.")))))
                .hasMessageContaining("must follow a user message");
        assertThatThrownBy(() -> format.example(Map.of("messages", List.of(
                Map.of("role", "robot", "content", "Hi"), Map.of("role", "assistant", "content", "Ok.")))))
                .hasMessageContaining("role: must be one of [system, user, assistant] but was 'robot'");
    }

    @Test
    void aDatasetsPromptFillsInTheRowAndTheAnswerFollows() {
        ExampleFormat classify = ExampleFormat.withPrompt("Review: {text}\nSentiment:", true);
        ExampleFormat summarise = ExampleFormat.withPrompt("{input}\nTL;DR:", false);

        assertThat(classify.example(Map.of("text", "great film", "label", "good")))
                .isEqualTo(new TrainingExample("Review: great film\nSentiment:", " good"));
        assertThat(classify.labelPrompt("dull")).isEqualTo("Review: dull\nSentiment:");
        assertThat(classify.labelCompletion("bad")).isEqualTo(" bad");
        assertThat(summarise.example(Map.of("input", "A long report.", "output", "Short.")))
                .isEqualTo(new TrainingExample("A long report.\nTL;DR:", " Short."));
    }

    @Test
    void fewShotDemonstrationsPrecedeEveryPromptWithTheirAnswers() {
        ExampleFormat classify = ExampleFormat.withPrompt("Review: {text}\nSentiment:", true)
                .withDemonstrations(List.of(Map.of("text", "loved it", "label", "good"),
                        Map.of("text", "{text} is a literal here", "label", "bad")));

        String shots = "Review: loved it\nSentiment: good\n\nReview: {text} is a literal here\nSentiment: bad\n\n";
        assertThat(classify.labelPrompt("dull")).isEqualTo(shots + "Review: dull\nSentiment:");
        assertThat(classify.example(Map.of("text", "fine", "label", "good")))
                .isEqualTo(new TrainingExample(shots + "Review: fine\nSentiment:", " good"));
        assertThat(classify.labelCompletion("bad")).isEqualTo(" bad");
        assertThatThrownBy(() -> new ExampleFormat(true, null).withDemonstrations(List.of()))
                .isInstanceOf(IllegalStateException.class);
    }
}
