package dev.finetune.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.lm.tokenizer.BpeTrainer.Style;
import dev.finetune.lm.tokenizer.TrainedBpe.Merge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on tiny corpora whose merges are worked out by hand, and on a synthetic corpus whose tokenizer is written
 * and loaded back through DJL's Hugging Face binding.
 */
class BpeTrainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CORPUS = Corpus.generate(300_000, 7);
    private static final String HELD_OUT = Corpus.generate(5_000, 8);
    private static final String NON_ASCII = "Grüße aus 東京, naïve café… 日本語 🚀 done";

    @TempDir
    static Path tmp;
    static Path gpt2Dir;
    static Path llamaDir;

    @BeforeAll
    static void trainBothStyles() throws Exception {
        gpt2Dir = tmp.resolve("gpt2");
        new BpeTrainer(Style.GPT2_BYTE_LEVEL, 512).train(CORPUS).writeTo(gpt2Dir);
        llamaDir = tmp.resolve("llama");
        new BpeTrainer(Style.LLAMA_BYTE_FALLBACK, 512).train(CORPUS).writeTo(llamaDir);
    }

    @Test
    void constructorReportsEveryProblem() {
        assertThatThrownBy(() -> new BpeTrainer(null, BpeTrainer.MAX_VOCAB_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("style must be one of")
                .hasMessageContaining("vocabSize must be <= 1048576");
        assertThatThrownBy(() -> new BpeTrainer(Style.LLAMA_BYTE_FALLBACK, 258))
                .hasMessageContaining("vocabSize must be >= 259 for LLAMA_BYTE_FALLBACK");
        assertThat(new BpeTrainer(Style.GPT2_BYTE_LEVEL, 257).train("aa aa aa").merges()).isEmpty();
    }

    @Test
    void gpt2MergesTheMostFrequentPairFirst() {
        // pre-tokens "ab" x1, " ab" x2, " abc" x1: a+b is seen 4 times, then Ġ+ab 3 times, ab+c only once
        TrainedBpe bpe = new BpeTrainer(Style.GPT2_BYTE_LEVEL, 300).train("ab ab ab abc");
        assertThat(bpe.merges()).containsExactly(new Merge("a", "b"), new Merge("Ġ", "ab"));
        assertThat(bpe.vocab().subList(256, 259)).containsExactly("ab", "Ġab", "<|endoftext|>");
        assertThat(bpe.vocabSize()).isEqualTo(259); // stopped early: no pair left seen twice
    }

    @Test
    void tiesGoToThePairWithTheSmallerIds() {
        // d+c and b+a are both seen twice; in GPT-2's byte order b (65) comes before d (67)
        TrainedBpe bpe = new BpeTrainer(Style.GPT2_BYTE_LEVEL, 300).train("dc\ndc\nba\nba");
        assertThat(bpe.merges()).containsExactly(new Merge("b", "a"), new Merge("d", "c"));
    }

    @Test
    void llamaLearnsPiecesStartingWithTheSpaceMark() throws Exception {
        // "▁hi" x3: characters h, i, ▁ (ids 259-261 by frequency, then code point); h+i and ▁+h tie at 3, h's id
        // is smaller; then ▁+hi
        TrainedBpe bpe = new BpeTrainer(Style.LLAMA_BYTE_FALLBACK, 300).train("hi hi\nhi");
        assertThat(bpe.vocab().subList(259, bpe.vocabSize())).containsExactly("h", "i", "▁", "hi", "▁hi");
        assertThat(bpe.merges()).containsExactly(new Merge("h", "i"), new Merge("▁", "hi"));

        Path dir = tmp.resolve("llama-hi");
        bpe.writeTo(dir);
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.encode("hi hi")).containsExactly(263, 263);
            assertThat(tokenizer.encodeWithTemplate("hi hi")).containsExactly(1, 263, 263);
            // h alone has no ▁h merge: ▁ then h
            assertThat(tokenizer.encode("h")).containsExactly(261, 259);
        }
    }

    @Test
    void trainingIsDeterministic() {
        String text = Corpus.generate(20_000, 3);
        for (Style style : Style.values()) {
            assertThat(new BpeTrainer(style, 400).train(text)).isEqualTo(new BpeTrainer(style, 400).train(text));
        }
    }

    @Test
    void aLargeEnoughCorpusFillsTheRequestedVocabulary() throws Exception {
        for (Path dir : List.of(gpt2Dir, llamaDir)) {
            try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
                assertThat(tokenizer.vocabSize()).as(dir.toString()).isEqualTo(512);
            }
        }
    }

    @Test
    void gpt2RoundTripsAnyTextAndItsMergesShortenIt() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(gpt2Dir)) {
            for (String text : List.of(HELD_OUT, NON_ASCII, "tabs\tand\r\nnewlines\n\n  spaces ")) {
                assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
            }
            int bytes = HELD_OUT.getBytes(StandardCharsets.UTF_8).length;
            assertThat(tokenizer.encode(HELD_OUT).length).isLessThan(bytes / 3);
            // a frequent word with its space is one token, as in GPT-2
            assertThat(tokenizer.encode(" the")).hasSize(1);
            // single bytes keep GPT-2's ids: the space is 220
            assertThat(tokenizer.encode(" ")).containsExactly(220);
        }
    }

    @Test
    void llamaRoundTripsAnyTextThroughByteFallback() throws Exception {
        try (HfTokenizer tokenizer = HfTokenizer.load(llamaDir)) {
            for (String text : List.of(HELD_OUT, NON_ASCII, "café 日本", "two  spaces\nand a newline")) {
                assertThat(tokenizer.decode(tokenizer.encode(text), true)).as(text).isEqualTo(text);
            }
            int bytes = HELD_OUT.getBytes(StandardCharsets.UTF_8).length;
            assertThat(tokenizer.encode(HELD_OUT).length).isLessThan(bytes / 3);
            // 🚀 is not in the corpus: ▁ then its UTF-8 bytes F0 9F 9A 80 as <0xF0>.. (ids 3 + byte)
            int[] rocket = tokenizer.encode("🚀");
            assertThat(tokenizer.token(rocket[0])).hasValue("▁");
            assertThat(Arrays.copyOfRange(rocket, 1, rocket.length))
                    .containsExactly(3 + 0xF0, 3 + 0x9F, 3 + 0x9A, 3 + 0x80);
            // a newline is never trained on: byte 0x0A
            assertThat(tokenizer.encode("a\nb")).contains(3 + 0x0A);
            // é is frequent enough in the corpus to be a character of the vocabulary
            assertThat(tokenizer.tokenId("é")).isPresent();
        }
    }

    @Test
    void specialTokensHaveTheStylesIds() throws Exception {
        try (HfTokenizer gpt2 = HfTokenizer.load(gpt2Dir); HfTokenizer llama = HfTokenizer.load(llamaDir)) {
            assertThat(gpt2.specialTokens()).isEqualTo(
                    new SpecialTokens(511, "<|endoftext|>", 511, "<|endoftext|>", 511, "<|endoftext|>"));
            assertThat(gpt2.eosIds()).containsExactly(511);
            assertThat(gpt2.addBosToken()).isFalse();
            assertThat(gpt2.encode("hi<|endoftext|>")).endsWith(511);
            assertThat(gpt2.encodeWithTemplate("the")).isEqualTo(gpt2.encode("the"));

            assertThat(llama.specialTokens()).isEqualTo(new SpecialTokens(1, "<s>", 2, "</s>", 0, "<unk>"));
            assertThat(llama.eosIds()).containsExactly(2);
            assertThat(llama.addBosToken()).isTrue();
            assertThat(llama.encode("the</s>")).endsWith(2);
            int[] plain = llama.encode("the model");
            int[] templated = llama.encodeWithTemplate("the model");
            assertThat(templated[0]).isEqualTo(1);
            assertThat(Arrays.copyOfRange(templated, 1, templated.length)).isEqualTo(plain);
        }
    }

    @Test
    void writesConfigFilesThatAgreeWithTheTokenizer() throws Exception {
        JsonNode config = JSON.readTree(llamaDir.resolve("tokenizer_config.json").toFile());
        assertThat(config.path("add_bos_token").asBoolean()).isTrue();
        assertThat(config.path("bos_token").asText()).isEqualTo("<s>");
        assertThat(config.path("added_tokens_decoder").path("2").path("content").asText()).isEqualTo("</s>");
        JsonNode map = JSON.readTree(llamaDir.resolve("special_tokens_map.json").toFile());
        assertThat(map.path("eos_token").asText()).isEqualTo("</s>");
        assertThat(map.path("pad_token").asText()).isEqualTo("<unk>");

        JsonNode tokenizer = JSON.readTree(llamaDir.resolve("tokenizer.json").toFile());
        assertThat(tokenizer.at("/model/byte_fallback").asBoolean()).isTrue();
        assertThat(tokenizer.at("/model/vocab/<0x00>").asInt()).isEqualTo(3);
        assertThat(tokenizer.at("/model/vocab/<0xFF>").asInt()).isEqualTo(258);
        assertThat(tokenizer.at("/normalizer/normalizers/0/type").asText()).isEqualTo("Prepend");

        JsonNode gpt2 = JSON.readTree(gpt2Dir.resolve("tokenizer.json").toFile());
        assertThat(gpt2.at("/pre_tokenizer/type").asText()).isEqualTo("ByteLevel");
        assertThat(gpt2.at("/added_tokens/0/id").asInt()).isEqualTo(511);
        assertThat(gpt2.at("/model/merges")).hasSize(512 - 257);
        assertThat(JSON.readTree(gpt2Dir.resolve("tokenizer_config.json").toFile()).path("add_bos_token").asBoolean())
                .isFalse();
    }

    @Test
    void specialTokensInTheCorpusAreNotTrainedOn() {
        TrainedBpe bpe = new BpeTrainer(Style.LLAMA_BYTE_FALLBACK, 400).train("</s></s></s>\n<s><s>\n".repeat(10));
        assertThat(bpe.merges()).isEmpty();
        assertThat(bpe.vocabSize()).isEqualTo(259);
    }

    @Test
    void noMergeSpellsAByteToken() throws Exception {
        // every word ends in "<0x41>", so its pieces merge first, up to "<0x4" + "1>": which would spell the byte
        // token of "A"
        StringBuilder corpus = new StringBuilder();
        for (char c = 'a'; c <= 'z'; c++) {
            corpus.append(c).append("<0x41> ");
        }
        TrainedBpe bpe = new BpeTrainer(Style.LLAMA_BYTE_FALLBACK, 400).train(corpus.toString().repeat(5));
        assertThat(bpe.vocab()).contains("<0x4", "1>");
        assertThat(bpe.merges()).doesNotContain(new Merge("<0x4", "1>"));
        assertThat(bpe.vocab().indexOf("<0x41>")).isEqualTo(3 + 0x41);
        assertThat(bpe.vocab().lastIndexOf("<0x41>")).isEqualTo(3 + 0x41);
        Path dir = tmp.resolve("llama-bytes");
        bpe.writeTo(dir);
        try (HfTokenizer tokenizer = HfTokenizer.load(dir)) {
            assertThat(tokenizer.decode(tokenizer.encode("q<0x41>"))).isEqualTo("q<0x41>");
        }
    }

    @Test
    void trainedBpeRejectsAVocabularyThatDoesNotHoldItsMerges() {
        List<String> vocab = new java.util.ArrayList<>(TrainedBpe.fixedTokens(Style.LLAMA_BYTE_FALLBACK));
        vocab.set(1, "<bos>");
        vocab.add("a");
        vocab.add("a");
        assertThatThrownBy(() -> new TrainedBpe(Style.LLAMA_BYTE_FALLBACK, vocab, List.of(new Merge("a", "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token 1 must be <s>, was <bos>")
                .hasMessageContaining("token a appears twice")
                .hasMessageContaining("merge 0 (a b) needs b")
                .hasMessageContaining("needs ab");
        assertThatThrownBy(() -> new TrainedBpe(Style.GPT2_BYTE_LEVEL, List.of("a"), List.of()))
                .hasMessageContaining("the last token must be <|endoftext|>")
                .hasMessageContaining("and 247 more");
    }
}
