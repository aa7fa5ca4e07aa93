package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
    void namesTheLineOfTheFirstBadByteEvenFarIntoTheFile() {
        byte[] good = "{\"text\": \"fine\", \"label\": \"a\"}\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = '"';
        bytes[good.length + 1] = (byte) 0xFF;
        bytes[good.length + 2] = '\n';
        var parsed = classification.parse(new ByteArrayInputStream(bytes));
        assertThat(parsed.problems()).containsExactly("line 1001: not valid UTF-8 text");
        assertThat(parsed.examples()).hasSize(1000);
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

    @Test
    void countsRejectedRecordsNotProblems() {
        var parsed = parse(classification, "{}\n{\"text\": \"ok\", \"label\": \"a\"}\n");
        assertThat(parsed.problemCount()).isEqualTo(2);
        assertThat(parsed.rejectedRecords()).isEqualTo(1);
        assertThat(parsed.uploadProblem()).isNull();
        assertThat(parsed.examples()).containsExactly(new Example("ok", "a"));
    }

    // field mapping

    private final ExampleParser mapped = new ExampleParser(new ObjectMapper(), TaskType.CLASSIFICATION, 50,
            new FieldMapping("review", "stars"));

    @Test
    void readsMappedFieldsAndNamesThemInProblems() {
        var parsed = parse(mapped, """
                {"review": "fine film", "stars": "5"}
                {"text": "ignored", "label": "1", "review": "dull"}
                {"review": 3, "stars": "1"}
                {"review": "%s", "stars": "1"}
                """.formatted("x".repeat(51)));
        assertThat(parsed.examples()).containsExactly(new Example("fine film", "5"));
        assertThat(parsed.problems()).containsExactly(
                "line 2: stars: is required",
                "line 3: review: must be a string but was number",
                "line 4: review: is 51 characters, more than the limit of 50");
    }

    @Test
    void storedLinesUseTheCanonicalFieldNames() {
        assertThat(mapped.toJsonLine(new Example("fine", "5"))).isEqualTo("{\"label\":\"5\",\"text\":\"fine\"}");
    }

    @Test
    void aMappingMustNameTwoDifferentFields() {
        assertThat(FieldMapping.DEFAULT.problems(TaskType.CLASSIFICATION)).isEmpty();
        assertThat(new FieldMapping("body", "body").problems(TaskType.CLASSIFICATION))
                .containsExactly("textField and labelField: must name different fields but both are 'body'");
        assertThat(new FieldMapping("body", "body").problems(TaskType.LANGUAGE_MODELING)).isEmpty();
        assertThat(new FieldMapping(" ", "label").problems(TaskType.CLASSIFICATION))
                .containsExactly("textField: must not be empty");
    }

    // invalid-record policy

    @Test
    void failAcceptsOnlyAFullyValidUploadSkipNeedsOneValidRecord() {
        var someBad = parse(classification, "{}\n{\"text\": \"ok\", \"label\": \"a\"}\n");
        var allBad = parse(classification, "{}\nnope\n");
        var unreadable = classification.parse(new ByteArrayInputStream(new byte[] {'{', (byte) 0xC3, (byte) 0x28}));
        assertThat(InvalidRecordPolicy.FAIL.accepts(someBad)).isFalse();
        assertThat(InvalidRecordPolicy.SKIP.accepts(someBad)).isTrue();
        assertThat(InvalidRecordPolicy.SKIP.accepts(allBad)).isFalse();
        assertThat(InvalidRecordPolicy.SKIP.accepts(unreadable)).isFalse();
        assertThat(unreadable.uploadProblem()).isEqualTo("line 1: not valid UTF-8 text");
        assertThat(InvalidRecordPolicy.parse("Skip")).contains(InvalidRecordPolicy.SKIP);
        assertThat(InvalidRecordPolicy.parse("ignore")).isEmpty();
    }

    // CSV

    private ExampleParser.Parsed csv(ExampleParser parser, String text) {
        return parser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), UploadFormat.CSV);
    }

    @Test
    void csvNeedsAHeaderAndHandlesQuotedCommasAndNewlines() {
        var parsed = csv(classification, """
                id,label,text
                1,positive,"Great, truly great"
                2,negative,"Bad
                film, ""really"" bad"

                3,negative,plain
                """);
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.examples()).containsExactly(
                new Example("Great, truly great", "positive"),
                new Example("Bad film, \"really\" bad", "negative"),
                new Example("plain", "negative"));
    }

    @Test
    void csvProblemsCarryTheLineTheRecordStartsOn() {
        var parsed = csv(classification, """
                text,label
                "multi
                line",a
                no label,
                ,b
                too,many,fields
                short
                "   ",c
                """);
        assertThat(parsed.examples()).containsExactly(new Example("multi line", "a"));
        assertThat(parsed.rejectedRecords()).isEqualTo(5);
        assertThat(parsed.problems()).containsExactly(
                "line 4: label: is required",
                "line 5: text: is required",
                "line 6: has 3 fields but the header has 2; quote fields that contain commas",
                "line 7: label: is required",
                "line 8: text: must not be empty");
    }

    @Test
    void csvUsesTheFieldMappingForItsColumns() {
        var parsed = csv(mapped, "review,stars\nnice,5\nmeh,\n");
        assertThat(parsed.examples()).containsExactly(new Example("nice", "5"));
        assertThat(parsed.problems()).containsExactly("line 3: stars: is required");

        var missing = csv(mapped, "text,label\nnice,5\n");
        assertThat(missing.uploadProblem()).isEqualTo(
                "line 1: the header row has no column review or stars (it has text, label); a CSV upload starts with a header row");
        assertThat(missing.examples()).isEmpty();
    }

    @Test
    void csvLanguageModelingNeedsOnlyTheTextColumn() {
        var parser = new ExampleParser(new ObjectMapper(), TaskType.LANGUAGE_MODELING, 100);
        assertThat(csv(parser, "\uFEFFtext\nonce upon a time\n").examples())
                .containsExactly(new Example("once upon a time", null));
    }

    @Test
    void csvReportsBadEncodingAndBrokenQuoting() {
        byte[] bytes = "text,label\nfine,a\nbad \u00ff,b\n".getBytes(StandardCharsets.ISO_8859_1);
        var badBytes = classification.parse(new ByteArrayInputStream(bytes), UploadFormat.CSV);
        assertThat(badBytes.uploadProblem()).isEqualTo("line 3: not valid UTF-8 text");

        var unterminated = csv(classification, "text,label\nfine,a\n\n\"never closed,b\nmore,c\n");
        assertThat(unterminated.uploadProblem()).isEqualTo("line 4: not valid CSV: Missing closing quote for value");
        assertThat(InvalidRecordPolicy.SKIP.accepts(unterminated)).isFalse();
    }

    @Test
    void csvWithOnlyAHeaderHoldsNoExamples() {
        assertThat(csv(classification, "text,label\n").problems()).containsExactly("the upload holds no examples");
        assertThat(UploadFormat.fromMediaType("text/csv; charset=utf-8")).isEqualTo(UploadFormat.CSV);
        assertThat(UploadFormat.fromMediaType("application/x-ndjson")).isEqualTo(UploadFormat.JSONL);
        assertThat(List.of(UploadFormat.parse("CSV"), UploadFormat.parse("xml")))
                .containsExactly(java.util.Optional.of(UploadFormat.CSV), java.util.Optional.empty());
    }
}
