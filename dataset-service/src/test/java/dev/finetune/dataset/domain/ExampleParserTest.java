package dev.finetune.dataset.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.TaskType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExampleParserTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ExampleParser classification = parser(TaskType.CLASSIFICATION, 50, null);

    /** A parser under the given settings, other settings at their defaults, counting tokens in bytes. */
    static ExampleParser parser(TaskType task, int maxTextChars, FieldMapping fields) {
        return parser(new DatasetSettings(task, fields, null, null, null, maxTextChars, null, null, null, null, null, null));
    }

    static ExampleParser parser(DatasetSettings settings) {
        return new ExampleParser(MAPPER, settings.withDefaults(0.1, 0.1, 20_000), TokenCounter.bytes(), 1_000);
    }

    /** A parse's examples and report, read as one. */
    record P(List<Example> examples, ExampleParser.Report report) {
        boolean valid() {
            return report.valid();
        }

        List<String> problems() {
            return report.problems();
        }

        int problemCount() {
            return report.problemCount();
        }

        int rejectedRecords() {
            return report.rejectedRecords();
        }

        String uploadProblem() {
            return report.uploadProblem();
        }
    }

    static P parse(ExampleParser parser, String text) {
        return parse(parser, text.getBytes(StandardCharsets.UTF_8), UploadFormat.JSONL);
    }

    static P parse(ExampleParser parser, byte[] bytes, UploadFormat format) {
        ExampleParser.Parsed parsed = parser.parse(new ByteArrayInputStream(bytes), format);
        return new P(parsed.examples(), parsed.report());
    }

    @Test
    void keepsValidExamplesInOrderAndNormalisesText() {
        var parsed = parse(classification, """
                {"text": "  Great\\tfilm \\u0007 ", "label": "positive"}

                {"text": "Bad  film", "label": "negative", "extra": 1}
                """);
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.examples()).containsExactly(
                Example.of("Great film", "positive"), Example.of("Bad film", "negative"));
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
        var parser = parser(TaskType.LANGUAGE_MODELING, 100, null);
        var parsed = parse(parser, "{\"text\": \"once upon a time\"}\n");
        assertThat(parsed.examples()).containsExactly(Example.of("once upon a time", null));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        var parsed = parse(classification, bytes, UploadFormat.JSONL);
        assertThat(parsed.problems()).containsExactly("line 1: not valid UTF-8 text");
    }

    @Test
    void namesTheLineOfTheFirstBadByteEvenFarIntoTheFile() {
        byte[] good = "{\"text\": \"fine\", \"label\": \"a\"}\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = '"';
        bytes[good.length + 1] = (byte) 0xFF;
        bytes[good.length + 2] = '\n';
        var parsed = parse(classification, bytes, UploadFormat.JSONL);
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
        assertThat(parsed.examples()).containsExactly(Example.of("ok", "a"));
    }

    // field mapping

    private final ExampleParser mapped = parser(TaskType.CLASSIFICATION, 50,
            new FieldMapping("review", "stars", null, null, null, null, null));

    @Test
    void readsMappedFieldsAndNamesThemInProblems() {
        var parsed = parse(mapped, """
                {"review": "fine film", "stars": "5"}
                {"text": "ignored", "label": "1", "review": "dull"}
                {"review": 3, "stars": "1"}
                {"review": "%s", "stars": "1"}
                """.formatted("x".repeat(51)));
        assertThat(parsed.examples()).containsExactly(Example.of("fine film", "5"));
        assertThat(parsed.problems()).containsExactly(
                "line 2: stars: is required",
                "line 3: review: must be a string but was number",
                "line 4: review: is 51 characters, more than the limit of 50");
    }

    @Test
    void storedLinesUseTheCanonicalFieldNames() {
        assertThat(mapped.toJsonLine(Example.of("fine", "5"))).isEqualTo("{\"text\":\"fine\",\"label\":\"5\"}");
    }

    @Test
    void aMappingMustNameDifferentFieldsForTheRolesItsTaskReads() {
        FieldMapping body = new FieldMapping("body", "body", null, null, null, null, null);
        assertThat(FieldMapping.DEFAULT.problems(TaskType.CLASSIFICATION)).isEmpty();
        assertThat(body.problems(TaskType.CLASSIFICATION))
                .containsExactly("fields.text and fields.label: must name different fields but both are 'body'");
        assertThat(body.problems(TaskType.LANGUAGE_MODELING)).isEmpty();
        assertThat(new FieldMapping(" ", null, null, null, null, null, null).problems(TaskType.CLASSIFICATION))
                .containsExactly("fields.text: must not be empty");
        assertThat(new FieldMapping(null, null, null, "q", "q", null, null).problems(TaskType.GENERATION))
                .containsExactly("fields.input and fields.output: must name different fields but both are 'q'");
    }

    // invalid-record policy

    @Test
    void failAcceptsOnlyAFullyValidUploadSkipNeedsOneValidRecord() {
        var someBad = parse(classification, "{}\n{\"text\": \"ok\", \"label\": \"a\"}\n");
        var allBad = parse(classification, "{}\nnope\n");
        var unreadable = parse(classification, new byte[] {'{', (byte) 0xC3, (byte) 0x28}, UploadFormat.JSONL);
        assertThat(InvalidRecordPolicy.FAIL.accepts(someBad.report())).isFalse();
        assertThat(InvalidRecordPolicy.SKIP.accepts(someBad.report())).isTrue();
        assertThat(InvalidRecordPolicy.SKIP.accepts(allBad.report())).isFalse();
        assertThat(InvalidRecordPolicy.SKIP.accepts(unreadable.report())).isFalse();
        assertThat(unreadable.uploadProblem()).isEqualTo("line 1: not valid UTF-8 text");
        assertThat(InvalidRecordPolicy.parse("Skip")).contains(InvalidRecordPolicy.SKIP);
        assertThat(InvalidRecordPolicy.parse("ignore")).isEmpty();
    }

    // CSV

    private static P csv(ExampleParser parser, String text) {
        return parse(parser, text.getBytes(StandardCharsets.UTF_8), UploadFormat.CSV);
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
                Example.of("Great, truly great", "positive"),
                Example.of("Bad film, \"really\" bad", "negative"),
                Example.of("plain", "negative"));
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
        assertThat(parsed.examples()).containsExactly(Example.of("multi line", "a"));
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
        assertThat(parsed.examples()).containsExactly(Example.of("nice", "5"));
        assertThat(parsed.problems()).containsExactly("line 3: stars: is required");

        var missing = csv(mapped, "text,label\nnice,5\n");
        assertThat(missing.uploadProblem()).isEqualTo(
                "line 1: the header row has no column review or stars (it has text, label); a CSV upload starts with a header row");
        assertThat(missing.examples()).isEmpty();
    }

    @Test
    void csvLanguageModelingNeedsOnlyTheTextColumn() {
        var parser = parser(TaskType.LANGUAGE_MODELING, 100, null);
        assertThat(csv(parser, "\uFEFFtext\nonce upon a time\n").examples())
                .containsExactly(Example.of("once upon a time", null));
    }

    @Test
    void csvReportsBadEncodingAndBrokenQuoting() {
        byte[] bytes = "text,label\nfine,a\nbad \u00ff,b\n".getBytes(StandardCharsets.ISO_8859_1);
        var badBytes = parse(classification, bytes, UploadFormat.CSV);
        assertThat(badBytes.uploadProblem()).isEqualTo("line 3: not valid UTF-8 text");

        var unterminated = csv(classification, "text,label\nfine,a\n\n\"never closed,b\nmore,c\n");
        assertThat(unterminated.uploadProblem()).isEqualTo("line 4: not valid CSV: Missing closing quote for value");
        assertThat(InvalidRecordPolicy.SKIP.accepts(unterminated.report())).isFalse();
    }

    @Test
    void csvWithOnlyAHeaderHoldsNoExamples() {
        assertThat(csv(classification, "text,label\n").problems()).containsExactly("the upload holds no examples");
        assertThat(UploadFormat.fromMediaType("text/csv; charset=utf-8")).isEqualTo(UploadFormat.CSV);
        assertThat(UploadFormat.fromMediaType("application/x-ndjson")).isEqualTo(UploadFormat.JSONL);
        assertThat(List.of(UploadFormat.parse("CSV"), UploadFormat.parse("xml")))
                .containsExactly(java.util.Optional.of(UploadFormat.CSV), java.util.Optional.empty());
    }

    // task shapes

    @Test
    void instructionRowsTakeAnOptionalInputAndKeepTheirLineBreaks() {
        var parsed = parse(parser(TaskType.INSTRUCTION, 200, null), """
                {"instruction": "Summarise.", "input": "Line one.\\r\\n\\n\\n\\nLine  two.", "output": "Short."}
                {"instruction": "Say hi.", "output": "Hi!"}
                {"instruction": "Say hi.", "input": "", "output": "Hi!"}
                {"instruction": "No answer."}
                {"instruction": ["not", "text"], "output": "x"}
                """);
        assertThat(parsed.examples()).extracting(Example::row).containsExactly(
                java.util.Map.of("instruction", "Summarise.", "input", "Line one.\n\nLine two.", "output", "Short."),
                java.util.Map.of("instruction", "Say hi.", "output", "Hi!"),
                java.util.Map.of("instruction", "Say hi.", "output", "Hi!"));
        assertThat(parsed.problems()).containsExactly(
                "line 4: output: is required",
                "line 5: instruction: must be a string but was array");
    }

    @Test
    void generationPairsAndTheirMappedFields() {
        var mappedPairs = parser(TaskType.GENERATION, 200,
                new FieldMapping(null, null, null, "article", "summary", null, "doc"));
        var parsed = parse(mappedPairs, """
                {"article": "A long article.", "summary": "Short.", "doc": 17}
                {"article": "Another.", "summary": "", "doc": "d2"}
                {"article": "No group.", "summary": "S."}
                """);
        assertThat(parsed.examples()).extracting(Example::row).containsExactly(
                java.util.Map.of("input", "A long article.", "output", "Short.", "group", "17"));
        assertThat(parsed.problems()).containsExactly("line 2: summary: must not be empty", "line 3: doc: is required");
        assertThat(mappedPairs.toJsonLine(parsed.examples().get(0)))
                .isEqualTo("{\"input\":\"A long article.\",\"output\":\"Short.\",\"group\":\"17\"}");
    }

    @Test
    void chatRowsNeedRolesContentAndAnAnswerToAUser() {
        var parsed = parse(parser(TaskType.CHAT, 200, null), """
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}
                {"messages": [{"role": "user", "content": "Hi"}]}
                {"messages": [{"role": "robot", "content": "Hi"}, {"role": "assistant", "content": "?"}]}
                {"messages": [{"role": "user"}, {"role": "assistant", "content": "?"}]}
                {"messages": "hello"}
                """);
        assertThat(parsed.examples()).hasSize(1);
        assertThat(parsed.problems()).containsExactly(
                "line 2: messages: must end with an assistant message",
                "line 3: messages[0].role: must be one of [system, user, assistant] but was \"robot\"",
                "line 4: messages[0].content: is required and must be a non-empty string",
                "line 5: messages: must be a non-empty list of messages but was string");
    }

    @Test
    void csvChatRowsHoldTheMessagesAsJsonInOneCell() {
        var parsed = csv(parser(TaskType.CHAT, 200, null), """
                messages
                "[{""role"": ""user"", ""content"": ""Hi""}, {""role"": ""assistant"", ""content"": ""Hello.""}]"
                not json
                """);
        assertThat(parsed.examples()).hasSize(1);
        assertThat(parsed.problems()).singleElement().asString()
                .startsWith("line 3: messages: must hold the messages as a JSON list: ");
    }

    @Test
    void labelsOutsideTheDatasetsLabelSetAreRejected() {
        var parsed = parse(parser(new DatasetSettings(TaskType.CLASSIFICATION, null, null, null, null, null, null,
                null, java.util.List.of("good", "bad"), null, null, null)), """
                {"text": "fine", "label": "good"}
                {"text": "meh", "label": "meh"}
                """);
        assertThat(parsed.examples()).containsExactly(Example.of("fine", "good"));
        assertThat(parsed.problems()).containsExactly("line 2: label: 'meh' is not one of the dataset's labels [bad, good]");
    }

    @Test
    void examplesLongerThanTheTokenLimitAreRejectedWithTheirCount() {
        // start token, the bytes of "Text: <text>\nLabel: <label>\n", end token
        var parsed = parse(parser(new DatasetSettings(TaskType.CLASSIFICATION, null, null, null, null, null, 25,
                null, null, null, null, null)), """
                {"text": "short", "label": "a"}
                {"text": "a much longer text", "label": "a"}
                """);
        assertThat(parsed.examples()).containsExactly(Example.of("short", "a"));
        assertThat(parsed.problems()).containsExactly("line 2: is 36 tokens (bytes), more than the limit of 25");
        assertThat(parsed.report().tooLong()).isEqualTo(1);
    }

    @Test
    void countsWhatNormalisationChanged() {
        var parsed = parse(classification, """
                {"text": "Cafe\u0301", "label": "a"}
                {"text": "two  spaces", "label": "a"}
                {"text": "bell\\u0007", "label": "a"}
                {"text": "clean", "label": "a"}
                """);
        assertThat(parsed.examples()).extracting(Example::row).extracting(r -> r.get("text"))
                .containsExactly("Caf\u00e9", "two spaces", "bell", "clean");
        assertThat(List.of(parsed.report().unicode(), parsed.report().whitespace(), parsed.report().control()))
                .containsExactly(1, 1, 1);
    }

    @Test
    void aStreamedRecordIsOneExampleOrEveryProblem() {
        assertThat(classification.parseRecord(MAPPER.createObjectNode().put("text", "ok").put("label", "a")))
                .isEqualTo(Example.of("ok", "a"));
        assertThatThrownBy(() -> classification.parseRecord(MAPPER.createObjectNode().put("text", 3)))
                .hasMessage("text: must be a string but was number; label: is required");
    }

    @Test
    void aLineLongerThanTheLimitIsRejectedWithoutBeingHeld() {
        String huge = "{\"text\": \"" + "x".repeat(5_000) + "\", \"label\": \"a\"}";
        var parsed = parse(classification, "{\"text\": \"before\", \"label\": \"a\"}\r\n" + huge
                + "\n{\"text\": \"after\", \"label\": \"a\"}");

        assertThat(parsed.examples()).containsExactly(Example.of("before", "a"), Example.of("after", "a"));
        assertThat(parsed.problems()).containsExactly("line 2: is longer than the limit of 1000 characters per line");
        assertThat(parsed.report().tooLong()).isEqualTo(1);
    }
}
