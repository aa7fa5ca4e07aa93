package dev.finetune.registry.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * What a model page shows from the evaluator's JSON report: the confusion matrix, sample predictions next to their
 * references, and the worst errors. A report that cannot be read leaves the page without them, and says why.
 */
public record EvaluationDetails(List<String> labels, List<ConfusionRow> confusion, List<Prediction> samples,
                                List<Prediction> worstErrors, String problem) {

    private static final Logger LOG = Logger.getLogger(EvaluationDetails.class);

    /** A true label's row: the count predicted as each label, and which cell is the diagonal. */
    public record ConfusionRow(String label, List<Cell> cells) {
    }

    public record Cell(long count, boolean correct) {
    }

    public record Prediction(String text, String reference, String predicted, String confidence, boolean correct) {
    }

    static EvaluationDetails none(String problem) {
        return new EvaluationDetails(List.of(), List.of(), List.of(), List.of(), problem);
    }

    static EvaluationDetails read(ObjectStore store, String reportUri) {
        if (reportUri == null) {
            return none("not evaluated yet");
        }
        JsonNode report;
        try {
            report = EventCodec.mapper().readTree(store.readBytes(S3Uri.parse(reportUri)));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("report %s not shown: %s", reportUri, e.getMessage());
            return none("the report " + reportUri + " could not be read: " + e.getMessage());
        }
        List<String> labels = new ArrayList<>();
        List<ConfusionRow> confusion = new ArrayList<>();
        JsonNode matrix = report.path("confusionMatrix");
        matrix.fieldNames().forEachRemaining(labels::add);
        for (String truth : labels) {
            List<Cell> cells = new ArrayList<>();
            for (String predicted : labels) {
                cells.add(new Cell(matrix.path(truth).path(predicted).asLong(), truth.equals(predicted)));
            }
            confusion.add(new ConfusionRow(truth, cells));
        }
        return new EvaluationDetails(labels, confusion, predictions(report.path("samplePredictions")),
                predictions(report.path("worstErrors")), null);
    }

    private static List<Prediction> predictions(JsonNode list) {
        List<Prediction> out = new ArrayList<>();
        for (JsonNode p : list) {
            String reference = p.path("reference").asText();
            String predicted = p.path("predicted").asText();
            JsonNode confidence = p.path("confidence");
            out.add(new Prediction(p.path("text").asText(), reference, predicted,
                    confidence.isNumber() ? String.format(Locale.ROOT, "%.3f", confidence.asDouble()) : "",
                    reference.equals(predicted)));
        }
        return out;
    }
}
