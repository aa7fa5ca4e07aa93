package dev.finetune.lm.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a model folder's config files say about its tokenizer beyond {@code tokenizer.json}: the special tokens, whether
 * to prepend the beginning token, and the chat template.
 *
 * <p>Special-token ids are resolved as generation reads them: {@code generation_config.json} ({@code *_token_id})
 * first, then the token strings of {@code tokenizer_config.json} ({@code *_token}) looked up in the vocabulary, then
 * {@code config.json} ({@code *_token_id}). Each file is optional; one that exists but is not a JSON object is an
 * error naming it.
 *
 * @param specialTokens the resolved tokens; each text is the vocabulary's token for the id
 * @param eosIds        every end id of the source that defined eos, in its order (a list in generation configs
 *                      of chat models)
 * @param addBosToken   {@code add_bos_token} of {@code tokenizer_config.json}, false when absent
 * @param chatTemplate  the Jinja chat template as written, or {@code null}
 */
record TokenizerSettings(SpecialTokens specialTokens, Set<Integer> eosIds, boolean addBosToken, String chatTemplate) {

    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String GENERATION_CONFIG = "generation_config.json";
    static final String MODEL_CONFIG = "config.json";
    /** Where newer {@code transformers} versions save the chat template instead of {@code tokenizer_config.json}. */
    static final String CHAT_TEMPLATE_FILE = "chat_template.jinja";

    private static final Logger LOG = LoggerFactory.getLogger(TokenizerSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static TokenizerSettings read(Path dir, Vocabulary vocab) throws IOException {
        ConfigFile tokenizerConfig = ConfigFile.read(dir.resolve(TOKENIZER_CONFIG));
        ConfigFile generationConfig = ConfigFile.read(dir.resolve(GENERATION_CONFIG));
        ConfigFile modelConfig = ConfigFile.read(dir.resolve(MODEL_CONFIG));

        List<Integer> bos = resolve("bos", generationConfig, tokenizerConfig, modelConfig, vocab);
        List<Integer> eos = resolve("eos", generationConfig, tokenizerConfig, modelConfig, vocab);
        List<Integer> pad = resolve("pad", generationConfig, tokenizerConfig, modelConfig, vocab);
        Integer bosId = bos.isEmpty() ? null : bos.get(0);
        Integer eosId = eos.isEmpty() ? null : eos.get(0);
        Integer padId = pad.isEmpty() ? null : pad.get(0);
        SpecialTokens tokens = new SpecialTokens(
                bosId, tokenOf(bosId, vocab), eosId, tokenOf(eosId, vocab), padId, tokenOf(padId, vocab));

        JsonNode addBos = tokenizerConfig.json().path("add_bos_token");
        return new TokenizerSettings(tokens, Collections.unmodifiableSet(new LinkedHashSet<>(eos)),
                addBos.asBoolean(false), chatTemplate(tokenizerConfig, dir.resolve(CHAT_TEMPLATE_FILE)));
    }

    private static List<Integer> resolve(
            String kind, ConfigFile generationConfig, ConfigFile tokenizerConfig, ConfigFile modelConfig,
            Vocabulary vocab) throws IOException {
        List<Integer> ids = generationConfig.ids(kind + "_token_id");
        if (ids.isEmpty()) {
            ids = tokenizerConfig.tokenId(kind + "_token", vocab);
        }
        if (ids.isEmpty()) {
            ids = modelConfig.ids(kind + "_token_id");
        }
        return ids;
    }

    private static String tokenOf(Integer id, Vocabulary vocab) {
        return id == null ? null : vocab.token(id).orElse(null);
    }

    /** A string, or a list of named templates of which the one named {@code default} counts; else the .jinja file. */
    private static String chatTemplate(ConfigFile tokenizerConfig, Path templateFile) throws IOException {
        JsonNode template = tokenizerConfig.json().path("chat_template");
        if (template.isTextual()) {
            return template.asText();
        }
        for (JsonNode named : template) {
            if ("default".equals(named.path("name").asText()) && named.path("template").isTextual()) {
                return named.path("template").asText();
            }
        }
        return Files.isRegularFile(templateFile) ? Files.readString(templateFile) : null;
    }

    /** One optional JSON config file; an absent file reads as an empty object. */
    private record ConfigFile(Path path, JsonNode json) {

        static ConfigFile read(Path path) throws IOException {
            if (!Files.exists(path)) {
                return new ConfigFile(path, MissingNode.getInstance());
            }
            JsonNode json;
            try {
                json = JSON.readTree(path.toFile());
            } catch (IOException e) {
                throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
            }
            if (json == null || !json.isObject()) {
                throw new IOException(path + " is not a JSON object");
            }
            return new ConfigFile(path, json);
        }

        /** The ids under {@code key}: an integer or a list of integers; negative ids (unset in some configs) are skipped. */
        List<Integer> ids(String key) throws IOException {
            JsonNode node = json.path(key);
            List<Integer> ids = new ArrayList<>();
            if (node.isMissingNode() || node.isNull()) {
                return ids;
            }
            for (JsonNode element : node.isArray() ? node : List.of(node)) {
                if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                    throw new IOException(path + ": " + key + " must be an integer or a list of integers, was " + node);
                }
                if (element.asInt() >= 0) {
                    ids.add(element.asInt());
                }
            }
            return ids;
        }

        /** The id of the token named under {@code key}, as a string or an object with {@code content}. */
        List<Integer> tokenId(String key, Vocabulary vocab) throws IOException {
            JsonNode node = json.path(key);
            if (node.isObject()) {
                node = node.path("content");
            }
            if (node.isMissingNode() || node.isNull()) {
                return List.of();
            }
            if (!node.isTextual()) {
                throw new IOException(path + ": " + key + " must be a string or an object with content, was "
                        + json.path(key));
            }
            OptionalInt id = vocab.id(node.asText());
            if (id.isEmpty()) {
                // transformers would add the token to the vocabulary; a model trained without it cannot use it
                LOG.warn("{}: {} '{}' is not in the vocabulary; ignored", path, key, node.asText());
                return List.of();
            }
            return List.of(id.getAsInt());
        }
    }
}
