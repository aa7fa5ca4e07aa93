package dev.finetune.lm.scoring;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.model.Gpt;
import dev.finetune.lm.model.LossEvaluation;
import dev.finetune.lm.model.ModelConfig;
import dev.finetune.lm.text.ByteTokenizer;
import dev.finetune.lm.text.TokenizedExample;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.training.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A saved model loaded for scoring: loss and perplexity of examples, and the choice among candidate completions.
 *
 * <p>Holds native memory until {@link #close()}. Calls are serialised on the instance, so one instance can be
 * shared by a service's worker threads (each call uses all of PyTorch's intra-op threads anyway).
 */
public final class LanguageModel implements AutoCloseable {

    private final Model model;
    private final Gpt gpt;
    private final ParameterStore parameters;
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    private LanguageModel(Model model, Gpt gpt) {
        this.model = model;
        this.gpt = gpt;
        this.parameters = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Loads what {@code FineTuner.fineTune} saved in {@code modelDir}, after checking every file against the sha256
     * recorded in its manifest.
     *
     * @throws IllegalStateException naming the file when the directory does not match its manifest
     * @throws UncheckedIOException  when the files cannot be read
     */
    public static LanguageModel load(Path modelDir) {
        ModelConfig config = Checkpoints.verifyAndReadConfig(modelDir);
        DjlRuntime.engine();
        Model model = Model.newInstance(Checkpoints.WEIGHTS_NAME, Device.cpu(), DjlRuntime.ENGINE_NAME);
        try {
            Gpt gpt = new Gpt(config);
            model.setBlock(gpt);
            model.load(modelDir, Checkpoints.WEIGHTS_NAME);
            return new LanguageModel(model, gpt);
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException("could not load the weights in " + modelDir, e);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("could not load the weights in " + modelDir + ": " + e.getMessage(), e);
        }
    }

    public ModelConfig config() {
        return gpt.config();
    }

    /**
     * Mean negative log-likelihood per target token (natural log): completion tokens and EOS for examples with a
     * prompt, all tokens for plain text. Perplexity is {@code exp(meanLoss)}. Examples longer than the context length
     * are truncated. NaN when the examples hold no targets.
     */
    public synchronized double meanLoss(List<TrainingExample> examples, int batchSize) {
        DjlRuntime.disableGradientRecording();
        List<TokenizedExample> tokenized = examples.stream().map(tokenizer::tokenize).toList();
        return LossEvaluation.meanLoss(this::forward, model.getNDManager(), tokenized, batchSize, config().contextLength());
    }

    /** {@code exp(meanLoss(examples, batchSize))}. */
    public double perplexity(List<TrainingExample> examples, int batchSize) {
        return Math.exp(meanLoss(examples, batchSize));
    }

    /**
     * Index of the candidate completion with the highest total log-probability after {@code prompt}, the
     * end-of-sequence token included (so a candidate is scored as the whole completion, not as a prefix of a longer
     * one). Ties go to the earliest candidate.
     */
    public synchronized int choose(String prompt, List<String> candidateCompletions) {
        Objects.requireNonNull(prompt, "prompt");
        if (candidateCompletions.isEmpty()) {
            throw new IllegalArgumentException("no candidate completions to choose from");
        }
        DjlRuntime.disableGradientRecording();
        List<TokenizedExample> rows = candidateCompletions.stream()
                .map(completion -> tokenizer.tokenize(new TrainingExample(prompt, completion)))
                .toList();
        double[] nll = LossEvaluation.rowNll(this::forward, model.getNDManager(), rows, config().contextLength());
        int best = 0;
        for (int i = 1; i < nll.length; i++) {
            if (nll[i] < nll[best]) {
                best = i;
            }
        }
        return best;
    }

    private NDList forward(NDList ids) {
        return gpt.forward(parameters, ids, false);
    }

    @Override
    public synchronized void close() {
        model.close();
    }
}
