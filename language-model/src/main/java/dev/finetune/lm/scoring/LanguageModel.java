package dev.finetune.lm.scoring;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.checkpoint.BaseModel;
import dev.finetune.lm.checkpoint.ModelFolder;
import dev.finetune.lm.generation.Generator;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.model.CausalLm;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.LossEvaluation;
import dev.finetune.lm.model.TransformerConfig;
import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.tokenizer.Tokenizer;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.training.SavedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model folder loaded for use: loss and perplexity of examples, the choice among candidate completions, and
 * generation.
 *
 * <p>Reads any Hugging Face folder this engine supports (GPT-2 and Llama families), the ones it writes and ones made
 * elsewhere; a folder with our manifest is checked against it first. Holds native memory until {@link #close()}.
 * Calls are serialised on the instance, so one instance can be shared by a service's worker threads (each call uses
 * all of PyTorch's intra-op threads anyway).
 */
public final class LanguageModel implements AutoCloseable {

    private final NDManager manager;
    private final CausalLm model;
    private final Tokenizer tokenizer;
    private final ParameterStore parameters;

    private LanguageModel(NDManager manager, CausalLm model, Tokenizer tokenizer) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * Loads the model in {@code modelDir}, after checking every file against the sha256 recorded in its manifest
     * when it has one.
     *
     * @throws IllegalStateException    naming the file when the directory does not match its manifest
     * @throws IllegalArgumentException when the folder is not a model this engine reads, saying why
     */
    public static LanguageModel load(Path modelDir) {
        SavedModels.verify(modelDir);
        if (!Files.isRegularFile(modelDir.resolve(ModelFolder.CONFIG_FILE))) {
            throw new IllegalArgumentException(modelDir + " holds no " + ModelFolder.CONFIG_FILE + ": not a model folder");
        }
        return of(BaseModel.fromFolder(modelDir), 0);
    }

    /**
     * The model a {@link BaseModel} reference names, as it is before any fine-tune: its folder's weights, or for a
     * random start the weights drawn from {@code seed} (the baseline a fine-tune of it is compared with).
     */
    public static LanguageModel of(BaseModel base, long seed) {
        Engine engine = DjlRuntime.engine();
        NDManager manager = engine.newBaseManager();
        try {
            if (base.folder() == null) {
                engine.setRandomSeed(Long.hashCode(seed));
            }
            return new LanguageModel(manager, base.instantiate(null, manager), base.tokenizer());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public TransformerConfig config() {
        return model.config();
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Mean negative log-likelihood per target token (natural log): completion tokens and EOS for examples with a
     * prompt, all tokens for plain text. Perplexity is {@code exp(meanLoss)}. Examples longer than the context length
     * are truncated. NaN when the examples hold no targets.
     */
    public synchronized double meanLoss(List<TrainingExample> examples, int batchSize) {
        DjlRuntime.disableGradientRecording();
        List<TokenizedExample> tokenized = examples.stream().map(tokenizer::tokenize).toList();
        return LossEvaluation.meanLoss(this::forward, manager, tokenized, batchSize, config().contextLength(),
                tokenizer.padId());
    }

    /** {@code exp(meanLoss(examples, batchSize))}. */
    public double perplexity(List<TrainingExample> examples, int batchSize) {
        return Math.exp(meanLoss(examples, batchSize));
    }

    /**
     * Index of the candidate completion with the highest total log-probability after {@code prompt} (see
     * {@link #logProbabilities}). Ties go to the earliest candidate.
     */
    public synchronized int choose(String prompt, List<String> candidateCompletions) {
        double[] logP = logProbabilities(prompt, candidateCompletions);
        int best = 0;
        for (int i = 1; i < logP.length; i++) {
            if (logP[i] > logP[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The total log-probability of each candidate completion after {@code prompt}, the end-of-sequence token
     * included (so a candidate is scored as the whole completion, not as a prefix of a longer one).
     */
    public synchronized double[] logProbabilities(String prompt, List<String> candidateCompletions) {
        Objects.requireNonNull(prompt, "prompt");
        if (candidateCompletions.isEmpty()) {
            throw new IllegalArgumentException("no candidate completions to choose from");
        }
        DjlRuntime.disableGradientRecording();
        List<TokenizedExample> rows = candidateCompletions.stream()
                .map(completion -> tokenizer.tokenize(new TrainingExample(prompt, completion)))
                .toList();
        double[] nll = LossEvaluation.rowNll(this::forward, manager, rows, config().contextLength(), tokenizer.padId());
        double[] logP = new double[nll.length];
        for (int i = 0; i < nll.length; i++) {
            logP[i] = -nll[i];
        }
        return logP;
    }

    /** Continuations of token-id prompts (see {@link Generator}); each stops at any of the tokenizer's end ids. */
    public synchronized List<int[]> generate(List<int[]> prompts, SamplingConfig sampling) {
        return new Generator(model, manager).generate(prompts, sampling, tokenizer.eosIds(), tokenizer.padId());
    }

    private NDList forward(NDList ids) {
        return model.forward(parameters, ids, false);
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
