package dev.finetune.lm.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link TrainedBpe} as a Hugging Face tokenizer folder, each style with the pipeline its original ships:
 * GPT-2's {@code tokenizer.json} (ByteLevel pre-tokenizer, decoder and post-processor) or Llama 2's (Prepend and
 * Replace normalizer, byte-fallback BPE, a decoder that undoes them, a template adding {@code <s>}).
 */
final class TokenizerFiles {

    static final String TOKENIZER_CONFIG = TokenizerSettings.TOKENIZER_CONFIG;
    static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TokenizerFiles() {}

    static void write(TrainedBpe bpe, Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(HfTokenizer.TOKENIZER_FILE).toFile(), tokenizerJson(bpe));
        JSON.writeValue(dir.resolve(TOKENIZER_CONFIG).toFile(), tokenizerConfig(bpe));
        JSON.writeValue(dir.resolve(SPECIAL_TOKENS_MAP).toFile(), specialTokensMap(bpe.style()));
    }

    static ObjectNode tokenizerJson(TrainedBpe bpe) {
        boolean gpt2 = bpe.style() == BpeTrainer.Style.GPT2_BYTE_LEVEL;
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : bpe.style().specialTokens()) {
            ObjectNode token = added.addObject();
            token.put("id", bpe.vocab().indexOf(special));
            token.put("content", special);
            token.put("single_word", false);
            token.put("lstrip", false);
            token.put("rstrip", false);
            // matched in the raw text, before the normalizer could turn "<s> " into "<s>▁"
            token.put("normalized", false);
            token.put("special", true);
        }
        if (gpt2) {
            root.putNull("normalizer");
            root.set("pre_tokenizer", byteLevel());
            root.set("post_processor", byteLevel());
            root.set("decoder", byteLevel());
        } else {
            ObjectNode normalizer = root.putObject("normalizer");
            normalizer.put("type", "Sequence");
            ArrayNode normalizers = normalizer.putArray("normalizers");
            normalizers.addObject().put("type", "Prepend").put("prepend", String.valueOf(BpeTrainer.SPACE_MARK));
            normalizers.add(replace(" ", String.valueOf(BpeTrainer.SPACE_MARK)));
            root.putNull("pre_tokenizer");
            root.set("post_processor", bosTemplate(bpe));
            ObjectNode decoder = root.putObject("decoder");
            decoder.put("type", "Sequence");
            ArrayNode decoders = decoder.putArray("decoders");
            decoders.add(replace(String.valueOf(BpeTrainer.SPACE_MARK), " "));
            decoders.addObject().put("type", "ByteFallback");
            decoders.addObject().put("type", "Fuse");
            // drops the space of the prepended ▁
            decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        }
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        if (gpt2) {
            model.putNull("unk_token");
        } else {
            model.put("unk_token", bpe.style().unkToken());
        }
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", !gpt2);
        model.put("byte_fallback", !gpt2);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < bpe.vocab().size(); id++) {
            vocab.put(bpe.vocab().get(id), id);
        }
        // pairs as two-element lists, the format of tokenizers 0.20 and later: a token may hold a space
        ArrayNode merges = model.putArray("merges");
        for (TrainedBpe.Merge merge : bpe.merges()) {
            merges.addArray().add(merge.left()).add(merge.right());
        }
        return root;
    }

    private static ObjectNode byteLevel() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", true);
        return node;
    }

    private static ObjectNode replace(String pattern, String content) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Replace");
        node.putObject("pattern").put("String", pattern);
        node.put("content", content);
        return node;
    }

    /** Llama's TemplateProcessing: {@code <s>} before a single sequence, and before each of a pair. */
    private static ObjectNode bosTemplate(TrainedBpe bpe) {
        String bos = bpe.style().bosToken();
        ObjectNode template = JSON.createObjectNode();
        template.put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.add(piece("SpecialToken", bos, 0));
        single.add(piece("Sequence", "A", 0));
        ArrayNode pair = template.putArray("pair");
        pair.add(piece("SpecialToken", bos, 0));
        pair.add(piece("Sequence", "A", 0));
        pair.add(piece("SpecialToken", bos, 1));
        pair.add(piece("Sequence", "B", 1));
        ObjectNode special = template.putObject("special_tokens").putObject(bos);
        special.put("id", bos);
        special.putArray("ids").add(bpe.vocab().indexOf(bos));
        special.putArray("tokens").add(bos);
        return template;
    }

    private static ObjectNode piece(String kind, String id, int typeId) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject(kind).put("id", id).put("type_id", typeId);
        return node;
    }

    /**
     * {@code transformers}' settings: the plain fast-tokenizer class, so that nothing rebuilds the pipeline of
     * {@code tokenizer.json}; {@code add_bos_token} as the template does; no clean-up of spaces, so that decoding
     * gives the text back.
     */
    static ObjectNode tokenizerConfig(TrainedBpe bpe) {
        BpeTrainer.Style style = bpe.style();
        ObjectNode config = JSON.createObjectNode();
        config.put("add_bos_token", style == BpeTrainer.Style.LLAMA_BYTE_FALLBACK);
        config.put("add_eos_token", false);
        if (style == BpeTrainer.Style.GPT2_BYTE_LEVEL) {
            config.put("add_prefix_space", false);
        }
        ObjectNode decoder = config.putObject("added_tokens_decoder");
        for (String special : style.specialTokens()) {
            ObjectNode token = decoder.putObject(String.valueOf(bpe.vocab().indexOf(special)));
            token.put("content", special);
            token.put("lstrip", false);
            token.put("normalized", false);
            token.put("rstrip", false);
            token.put("single_word", false);
            token.put("special", true);
        }
        config.setAll(specialTokensMap(style));
        config.put("clean_up_tokenization_spaces", false);
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        return config;
    }

    static ObjectNode specialTokensMap(BpeTrainer.Style style) {
        ObjectNode map = JSON.createObjectNode();
        for (List<String> entry : List.of(
                List.of("bos_token", style.bosToken()), List.of("eos_token", style.eosToken()),
                List.of("pad_token", style.padToken()), List.of("unk_token", style.unkToken()))) {
            map.put(entry.get(0), entry.get(1));
        }
        return map;
    }
}
