package dev.finetune.lm.training;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.finetune.lm.checkpoint.SafetensorsFile;
import dev.finetune.lm.checkpoint.SafetensorsWriter;
import dev.finetune.lm.checkpoint.TensorInfo;
import dev.finetune.lm.model.NamedParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A resumable snapshot of a run after {@code step} optimizer steps, as a folder: {@code trainer_state.json} (these
 * counters), {@code trainable.safetensors} (the trained weights, adapters only for LoRA), {@code optimizer.safetensors}
 * (AdamW's moments) and, with early stopping, {@code best.safetensors} (the weights of the best validation so far).
 *
 * <p>Data order is a function of the seed and the epoch, so the counters are enough to continue with the very batch
 * that came next. Dropout's random stream is not captured: a resumed run with dropout differs in its noise.
 *
 * @param baseModel            the base model the run started from; a checkpoint of another run is refused
 * @param totalSteps           steps of the whole run, likewise checked
 * @param step                 optimizer steps done
 * @param optimizerUpdates     AdamW updates done (equals {@code step})
 * @param initialTrainLoss     loss of the first batch
 * @param bestValidationLoss   lowest validation loss so far, NaN when none
 * @param validationsSinceBest validations since the best one (early stopping)
 * @param totalTokens          non-pad tokens trained on
 * @param trainNanos           time spent in training steps
 */
record TrainingState(
        String baseModel,
        int totalSteps,
        int step,
        int optimizerUpdates,
        double initialTrainLoss,
        double bestValidationLoss,
        int validationsSinceBest,
        long totalTokens,
        long trainNanos) {

    static final String STATE_FILE = "trainer_state.json";
    static final String WEIGHTS_FILE = "trainable.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String BEST_FILE = "best.safetensors";

    /** Jackson writes NaN (no validation yet) as the string "NaN" and reads it back. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the snapshot into {@code dir} (created). */
    void write(Path dir, List<NamedParameter> trainable, Map<String, NDArray> optimizer, Map<String, float[]> best) {
        try {
            Files.createDirectories(dir);
            SafetensorsWriter weights = new SafetensorsWriter();
            for (NamedParameter named : trainable) {
                NDArray array = named.parameter().getArray();
                weights.add(named.name(), array.toFloatArray(), array.getShape().getShape());
            }
            weights.write(dir.resolve(WEIGHTS_FILE));
            SafetensorsWriter moments = new SafetensorsWriter();
            optimizer.forEach((name, array) -> moments.add(name, array.toFloatArray(), array.getShape().getShape()));
            moments.write(dir.resolve(OPTIMIZER_FILE));
            if (best != null) {
                SafetensorsWriter bestWeights = new SafetensorsWriter();
                for (NamedParameter named : trainable) {
                    bestWeights.add(named.name(), best.get(named.name()), named.parameter().getShape().getShape());
                }
                bestWeights.write(dir.resolve(BEST_FILE));
            }
            JSON.writeValue(dir.resolve(STATE_FILE).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training state to " + dir, e);
        }
    }

    /** The counters of the snapshot in {@code dir}. */
    static TrainingState read(Path dir) {
        try {
            return JSON.readValue(dir.resolve(STATE_FILE).toFile(), TrainingState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the training state in " + dir, e);
        }
    }

    /** Every tensor of one of the snapshot's files by name, or an empty map when the file is absent. */
    static Map<String, float[]> tensors(Path dir, String file) {
        Path path = dir.resolve(file);
        Map<String, float[]> values = new HashMap<>();
        if (!Files.isRegularFile(path)) {
            return values;
        }
        try (SafetensorsFile tensors = SafetensorsFile.open(path)) {
            for (TensorInfo info : tensors.tensors()) {
                values.put(info.name(), tensors.readFloats(info.name()));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    /** Deletes a snapshot folder. */
    static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
