package dev.finetune.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the hand-written tokenizers in {@code src/test/resources/tokenizers}, whose expected ids were worked out on
 * paper from their vocabularies and merges.
 *
 * <p>gpt2-tiny: vocab {@code h e l o Ġ w r d} (0-7), then {@code he ll hell Ġw or} (8-12) from the merges
 * {@code h+e, l+l, he+ll, Ġ+w, o+r} in that priority, and {@code <|endoftext|>} 13. llama-tiny: {@code <unk> <s> </s>}
 * (0-2), the byte tokens {@code <0xC3> <0xA9>} (3, 4), {@code ▁ h i} (5-7), {@code ▁h ▁hi} (8, 9) from the merges
 * {@code ▁+h, ▁h+i}.
 */
class HfTokenizerTest {

    @TempDir
    Path tmp;

    static Path resource(String name) throws URISyntaxException {
        return Path.of(HfTokenizerTest.class.getResource("/tokenizers/" + name).toURI());
    }

    /** A copy of a resource tokenizer folder, to add config files to. */
    Path copyOf(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(resource(name).resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        return dir;
    }

    @Test
    void gpt2StyleEncodesByMergePriority() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("gpt2-tiny"))) {
            // "hello": h e l l o -> he l l o -> he ll o -> hell o; " world": Ġw o r l d -> Ġw or l d
            assertThat(tokenizer.encode("hello world")).containsExactly(10, 3, 11, 12, 2, 7);
            // GPT-2's post-processor adds no token
            assertThat(tokenizer.encodeWithTemplate("hello world")).containsExactly(10, 3, 11, 12, 2, 7);
            assertThat(tokenizer.decode(new int[] {10, 3, 11, 12, 2, 7})).isEqualTo("hello world");
            assertThat(tokenizer.vocabSize()).isEqualTo(14);
        }
    }

    @Test
    void addedSpecialTokensAreMatchedWholeAndCanBeSkippedWhenDecoding() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("gpt2-tiny"))) {
            int[] ids = tokenizer.encode("hello<|endoftext|>");
            assertThat(ids).containsExactly(10, 3, 13);
            assertThat(tokenizer.isSpecial(13)).isTrue();
            assertThat(tokenizer.decode(ids)).isEqualTo("hello<|endoftext|>");
            assertThat(tokenizer.decode(ids, true)).isEqualTo("hello");
            assertThat(tokenizer.tokenId("<|endoftext|>")).hasValue(13);
            assertThat(tokenizer.token(11)).hasValue("Ġw");
        }
    }

    @Test
    void llamaStyleNormalizesSpacesFallsBackToBytesAndPrependsBos() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("llama-tiny"))) {
            // "▁hi▁é": ▁+h -> ▁h, ▁h+i -> ▁hi; é is not in the vocabulary: its UTF-8 bytes C3 A9
            assertThat(tokenizer.encode("hi é")).containsExactly(9, 5, 3, 4);
            assertThat(tokenizer.encodeWithTemplate("hi é")).containsExactly(1, 9, 5, 3, 4);
            assertThat(tokenizer.decode(new int[] {1, 9, 5, 3, 4})).isEqualTo("<s> hi é");
            assertThat(tokenizer.decode(new int[] {1, 9, 5, 3, 4}, true)).isEqualTo("hi é");
            // no byte tokens for 日 (E6 97 A5) in this tiny vocabulary: unknown
            assertThat(tokenizer.encode("hi 日")).containsExactly(9, 5, 0);
        }
    }

    @Test
    void aBosTypedInTheTextIsNotTakenForTheTemplates() throws Exception {
        Path dir = copyOf("llama-tiny");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_bos_token\": true, \"bos_token\": \"<s>\"}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.addBosToken()).isTrue();
            assertThat(tokenizer.encodeWithTemplate("hi")).containsExactly(1, 9);
            assertThat(tokenizer.encodeWithTemplate("<s>hi")).containsExactly(1, 1, 9);
        }
    }

    @Test
    void addBosTokenPrependsBosWhenThePostProcessorDoesNot() throws Exception {
        Path dir = copyOf("gpt2-tiny");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"add_bos_token\": true, \"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<|endoftext|>\"}}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.encodeWithTemplate("hello")).containsExactly(13, 10, 3);
            assertThat(tokenizer.encodeWithTemplate("<|endoftext|>hello")).containsExactly(13, 13, 10, 3);
            assertThat(tokenizer.encode("hello")).containsExactly(10, 3);
        }
    }

    @Test
    void aFolderWithoutConfigFilesHasNoSpecialTokens() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("llama-tiny"))) {
            assertThat(tokenizer.specialTokens()).isEqualTo(SpecialTokens.none());
            assertThat(tokenizer.eosIds()).isEmpty();
            assertThat(tokenizer.addBosToken()).isFalse();
            assertThat(tokenizer.chatTemplate()).isEmpty();
        }
    }

    @Test
    void generationConfigMayListSeveralEosIds() throws Exception {
        Path dir = copyOf("gpt2-tiny");
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 13, \"eos_token_id\": [13, 12, 13]}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.eosIds()).containsExactly(13, 12);
            assertThat(tokenizer.specialTokens()).isEqualTo(
                    new SpecialTokens(13, "<|endoftext|>", 13, "<|endoftext|>", null, null));
        }
    }

    @Test
    void generationConfigBeatsTokenizerConfigWhichBeatsModelConfig() throws Exception {
        Path dir = copyOf("llama-tiny");
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 5, \"eos_token_id\": [6, 7], \"pad_token_id\": 7}");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": \"<s>\", \"eos_token\": {\"content\": \"</s>\"}, \"pad_token\": null}");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [9, 2]}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            // bos: tokenizer_config's <s> over config.json's 5; eos: generation_config's list; pad: only config.json
            assertThat(tokenizer.specialTokens()).isEqualTo(new SpecialTokens(1, "<s>", 9, "▁hi", 7, "i"));
            assertThat(tokenizer.eosIds()).containsExactly(9, 2);
        }
    }

    @Test
    void tokenizerConfigEosWinsOverModelConfigList() throws Exception {
        Path dir = copyOf("llama-tiny");
        Files.writeString(dir.resolve("config.json"), "{\"eos_token_id\": [6, 7]}");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\", \"pad_token\": \"<pad>\"}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.eosIds()).containsExactly(2);
            // <pad> is not in the vocabulary: ignored, and nothing else names a pad token
            assertThat(tokenizer.specialTokens().padId()).isNull();
        }
    }

    @Test
    void modelConfigIsTheLastResort() throws Exception {
        Path dir = copyOf("llama-tiny");
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": [2, 0], \"pad_token_id\": -1}");
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.specialTokens()).isEqualTo(new SpecialTokens(1, "<s>", 2, "</s>", null, null));
            assertThat(tokenizer.eosIds()).containsExactly(2, 0);
        }
    }

    @Test
    void chatTemplateIsKeptAsWritten() throws Exception {
        String template = "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}{% endfor %}";
        Path dir = copyOf("gpt2-tiny");
        Files.writeString(dir.resolve("tokenizer_config.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("chat_template", template)
                        .toString());
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.chatTemplate()).hasValue(template);
        }
    }

    @Test
    void namedChatTemplatesGiveTheDefaultOneAndTheJinjaFileServesWhenConfigHasNone() throws Exception {
        Path named = copyOf("gpt2-tiny");
        Files.writeString(named.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        try (HfTokenizer tokenizer = HfTokenizer.load(named)) {
            assertThat(tokenizer.chatTemplate()).hasValue("D");
        }
        Path jinja = copyOf("llama-tiny");
        Files.writeString(jinja.resolve("chat_template.jinja"), "{{ bos_token }}{{ messages[0]['content'] }}");
        try (HfTokenizer tokenizer = HfTokenizer.load(jinja)) {
            assertThat(tokenizer.chatTemplate()).hasValue("{{ bos_token }}{{ messages[0]['content'] }}");
        }
    }

    @Test
    void aMissingTokenizerJsonIsNamed() {
        Path expected = tmp.resolve("tokenizer.json");
        assertThatThrownBy(() -> HfTokenizer.load(tmp))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(expected.toString())
                .hasMessageContaining("needs tokenizer.json");
    }

    @Test
    void anUnreadableOrUnloadableTokenizerJsonIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"model\": ");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot read " + file);

        Files.writeString(file, "{\"model\": {\"vocab\": {\"a\": 0}}}"); // JSON, but not a tokenizer
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(file + " is not a tokenizer");

        Files.writeString(file, "{\"added_tokens\": []}");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(file + " has no model.vocab");
    }

    @Test
    void aBrokenOptionalConfigIsNamedNotIgnored() throws Exception {
        Path dir = copyOf("gpt2-tiny");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": \"13\"}");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("generation_config.json").toString())
                .hasMessageContaining("eos_token_id must be an integer or a list of integers");

        Files.writeString(dir.resolve("generation_config.json"), "[13]");
        assertThatThrownBy(() -> HfTokenizer.load(dir)).hasMessageContaining("generation_config.json is not a JSON object");
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabularyInsteadOfDroppingThem() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("gpt2-tiny"))) {
            assertThatThrownBy(() -> tokenizer.decode(new int[] {10, 14}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id 14 is not in the vocabulary");
            assertThatThrownBy(() -> tokenizer.decode(new int[] {-1})).hasMessageContaining("token id -1");
        }
    }

    @Test
    void longTextIsNotTruncated() throws Exception {
        // DJL's default would cut every encoding at 512 tokens
        try (HfTokenizer tokenizer = HfTokenizer.load(resource("gpt2-tiny"))) {
            String text = "hello world".repeat(200);
            assertThat(tokenizer.encode(text)).hasSize(200 * 6);
            assertThat(tokenizer.encodeWithTemplate(text)).hasSize(200 * 6);
        }
    }

    @Test
    void loadsOfflineAndCannotBeUsedOnceClosed() throws Exception {
        HfTokenizer tokenizer = HfTokenizer.load(resource("gpt2-tiny"));
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        tokenizer.close();
        assertThatThrownBy(() -> tokenizer.encode("hello")).isInstanceOf(IllegalStateException.class);
    }
}
