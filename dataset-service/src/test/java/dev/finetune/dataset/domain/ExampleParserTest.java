package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExampleParserTest {

    private final ExampleParser classification = new ExampleParser(new ObjectMapper(), TaskType.CLASSIFICATION, 50);

    private ExampleParser.Parsed parse(ExampleParser parser, String text) {
        return parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void keepsValidExamplesInOrderAndNormalisesText() {
        var parsed = parse(classification, """
                {"text": "  Great\\tfilm \\u0007 ", "label": "positive"}

                {"text": "Bad  film", "label": "negative", "extra": 1}
                """);
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.examples()).containsExactly(
                new Example("Great film", "positive"), new Example("Bad film", "negative"));
    }

    @Test
    void reportsEveryBadLineWithItsNumberFieldAndReason() {
        var parsed = parse(classification, """
                {"text": "fine", "label": "positive"}
                {"text": "no label"}
                not json
                {"text": 42, "label": "negative"}
                {"text": "   ", "label": "negative"}
                ["an", "array"]
                {"text": "%s", "label": "positive"}
                """.formatted("x".repeat(51)));
        assertThat(parsed.valid()).isFalse();
        assertThat(parsed.problemCount()).isEqualTo(6);
        assertThat(parsed.problems()).containsExactly(
                "line 2: label: is required",
                "line 3: not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "line 4: text: must be a string but was number",
                "line 5: text: must not be empty",
                "line 6: must be a JSON object",
                "line 7: text: is 51 characters, more than the limit of 50");
    }

    @Test
    void languageModelingNeedsNoLabel() {
        var parser = new ExampleParser(new ObjectMapper(), TaskType.LANGUAGE_MODELING, 100);
        var parsed = parse(parser, "{\"text\": \"once upon a time\"}\n");
        assertThat(parsed.examples()).containsExactly(new Example("once upon a time", null));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        var parsed = classification.parse(new ByteArrayInputStream(bytes));
        assertThat(parsed.problems()).containsExactly("line 1: not valid UTF-8 text");
    }

    @Test
    void anEmptyUploadIsAProblem() {
        assertThat(parse(classification, "\n\n").problems()).containsExactly("the upload holds no examples");
    }

    @Test
    void listsAtMostAHundredProblemsAndCountsTheRest() {
        var parsed = parse(classification, "{}\n".repeat(150));
        assertThat(parsed.problemCount()).isEqualTo(300);
        assertThat(parsed.problems()).hasSize(ExampleParser.MAX_LISTED_PROBLEMS + 1);
        assertThat(parsed.problems().get(ExampleParser.MAX_LISTED_PROBLEMS)).isEqualTo("... and 200 more problems");
    }
}
