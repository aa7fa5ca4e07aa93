package dev.finetune.lm.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.lm.model.DjlRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face tokenizer loaded from a model folder: {@code tokenizer.json} (required) run by the Rust
 * {@code tokenizers} library through DJL, and the special tokens, {@code add_bos_token} and chat template of the
 * optional {@code tokenizer_config.json}, {@code generation_config.json} and {@code config.json} (see
 * {@link TokenizerSettings} for the precedence).
 *
 * <p>The DJL tokenizer is created with truncation and padding off, whatever {@code tokenizer.json} asks for: DJL's
 * own default truncates every encoding to 512 tokens, and cutting and padding sequences is the batching code's job.
 * Encoding and decoding always pass the special-tokens flag explicitly.
 */
public final class HfTokenizer implements Tokenizer {

    /** The one required file of a tokenizer folder. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** Options for DJL's {@code HuggingFaceTokenizer.newInstance}; the class comment says why. */
    static final Map<String, String> DJL_OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;
    private final Vocabulary vocabulary;
    private final TokenizerSettings settings;
    private int[] templateStart;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Path file, Vocabulary vocabulary, TokenizerSettings settings) {
        this.tokenizer = tokenizer;
        this.file = file;
        this.vocabulary = vocabulary;
        this.settings = settings;
    }

    /**
     * Loads the tokenizer of a model folder in the Hugging Face layout.
     *
     * @throws NoSuchFileException when the folder has no {@code tokenizer.json}; the message names the path
     * @throws IOException         when a file is unreadable or not what it should be; the message names the file
     */
    public static HfTokenizer load(Path modelDir) throws IOException {
        Path file = modelDir.resolve(TOKENIZER_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "a Hugging Face tokenizer folder needs " + TOKENIZER_FILE + " (vocab.json + merges.txt alone are"
                            + " not supported)");
        }
        String json;
        JsonNode root;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Vocabulary vocabulary = Vocabulary.of(root, file);
        TokenizerSettings settings = TokenizerSettings.read(modelDir, vocabulary);

        DjlRuntime.useOfflineModeUnlessSet();
        HuggingFaceTokenizer tokenizer;
        try {
            // the JSON already read, not the path: the binding and the vocabulary see the same bytes
            tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), DJL_OPTIONS);
        } catch (RuntimeException e) {
            // the Rust library reports a JSON it cannot build a tokenizer from as a bare RuntimeException
            throw new IOException(file + " is not a tokenizer the Hugging Face library can load: " + e.getMessage(), e);
        }
        return new HfTokenizer(tokenizer, file, vocabulary, settings);
    }

    @Override
    public int[] encode(String text) {
        return toInts(tokenizer.encode(Objects.requireNonNull(text, "text"), false, false).getIds());
    }

    /**
     * Token ids of {@code text} as the model saw its prompts in pre-training: with the special tokens the
     * {@code tokenizer.json} post-processor adds (GPT-2 adds none, Llama {@code <s>}), and with the beginning token
     * prepended when {@code add_bos_token} is set and the post-processor did not add it.
     */
    @Override
    public int[] encodeWithTemplate(String text) {
        Encoding encoding = tokenizer.encode(Objects.requireNonNull(text, "text"), true, false);
        long[] ids = encoding.getIds();
        Integer bos = specialTokens().bosId();
        // the post-processor's tokens are marked in the mask; a "<s>" typed in the text is not
        boolean templateAddedBos = ids.length > 0 && bos != null && ids[0] == bos
                && encoding.getSpecialTokenMask()[0] == 1;
        if (!settings.addBosToken() || bos == null || templateAddedBos) {
            return toInts(ids);
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bos;
        for (int i = 0; i < ids.length; i++) {
            withBos[i + 1] = Math.toIntExact(ids[i]);
        }
        return withBos;
    }

    /** Computed once: {@link #tokenize} asks for it for every training example. */
    @Override
    public synchronized int[] templateStart() {
        if (templateStart == null) {
            templateStart = encodeWithTemplate("");
        }
        return templateStart.clone();
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            // the library silently drops ids it does not know
            if (vocabulary.token(ids[i]).isEmpty()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is not in the vocabulary of " + file
                        + " (size " + vocabulary.size() + ")");
            }
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    @Override
    public SpecialTokens specialTokens() {
        return settings.specialTokens();
    }

    /**
     * Every end id, in the order of the source that defined them: {@code generation_config.json} often lists several
     * (Llama 3 Instruct: end of text and end of turn), and generation stops at any.
     */
    @Override
    public Set<Integer> eosIds() {
        return settings.eosIds();
    }

    /** One more than the largest id of the vocabulary and added tokens. */
    @Override
    public int vocabSize() {
        return vocabulary.size();
    }

    /** {@code add_bos_token} of {@code tokenizer_config.json}: Llama tokenizers set it, false when absent. */
    public boolean addBosToken() {
        return settings.addBosToken();
    }

    /** The Jinja chat template of {@code tokenizer_config.json} (or {@code chat_template.jinja}), as written. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(settings.chatTemplate());
    }

    /** The id of a token of the vocabulary or the added tokens, e.g. {@code <|eot_id|>}. */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    /** The token with id {@code id}, as the vocabulary writes it (GPT-2's {@code Ġ} for a space, Llama's {@code ▁}). */
    public Optional<String> token(int id) {
        return vocabulary.token(id);
    }

    /** Whether {@code id} is a special token, one that {@code decode(ids, true)} leaves out. */
    public boolean isSpecial(int id) {
        return vocabulary.isSpecial(id);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int[] toInts(long[] ids) {
        int[] ints = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ints[i] = Math.toIntExact(ids[i]);
        }
        return ints;
    }
}
