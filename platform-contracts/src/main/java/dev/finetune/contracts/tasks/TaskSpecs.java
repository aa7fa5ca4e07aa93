package dev.finetune.contracts.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingRequested;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a task file (YAML or JSON) and checks it completely before anything is stored or sent: first against the
 * published schema ({@code schemas/task.schema.json}, every structural problem at once, each with its field path),
 * then the rules a schema cannot say (labels only for classification, the gate's metric among the task's metrics,
 * unique variant names, each variant's settings as a training request would check them). The CLI checks a file
 * before sending it; the registry checks it again.
 */
public final class TaskSpecs {

    /** The schema, packaged from {@code schemas/task.schema.json}. */
    public static final String SCHEMA_RESOURCE = "task.schema.json";
    private static final Set<String> PLACEHOLDERS = Set.of("{text}", "{instruction}", "{input}");
    private static final List<String> ANY_TASK_METRICS = List.of("loss", "perplexity");
    private static final List<String> CLASSIFICATION_METRICS = List.of("accuracy", "macroF1", "macroPrecision",
            "macroRecall", "outsideLabelsRate");
    private static final List<String> WRITTEN_ANSWER_METRICS = List.of("bleu", "rouge1", "rouge2", "rougeL",
            "exactMatch", "repetitionRate", "emptyRate", "truncatedRate");
    private static final List<String> GROUNDED_ANSWER_METRICS = List.of("unsupportedRate", "unsupportedShare");
    private static final ObjectMapper YAML = new YAMLMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final ObjectMapper LENIENT = new YAMLMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);
    private static final Schema SCHEMA = loadSchema();

    private TaskSpecs() {
    }

    /** A checked task, or every problem found, each naming its field. */
    public record Checked(TaskSpec spec, List<String> problems) {

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Reads and checks a task file's text (YAML, of which JSON is a part). */
    public static Checked read(String text) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            return new Checked(null, List.of(where + "not valid YAML: " + e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return new Checked(null, List.of("the task file is empty"));
        }
        List<String> problems = new ArrayList<>();
        Set<String> structural = new HashSet<>();
        for (Error error : SCHEMA.validate(tree)) {
            String path = path(error);
            structural.add(path);
            problems.add(path + ": " + message(error));
        }
        TaskSpec spec;
        try {
            // leniently when the structure is wrong, so that the rules below still find what they can
            spec = (problems.isEmpty() ? YAML : LENIENT).treeToValue(tree, TaskSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return new Checked(null, problems.isEmpty()
                    ? List.of("the task file does not fit the schema: " + e.getMessage()) : problems);
        }
        for (String problem : rules(spec)) {
            if (!structural.contains(problem.substring(0, Math.max(0, problem.indexOf(": "))))) {
                problems.add(problem);
            }
        }
        return new Checked(problems.isEmpty() ? spec : null, problems);
    }

    /** The task as canonical JSON: what is stored, compared between revisions and sent over the wire. */
    public static String toJson(TaskSpec spec) {
        try {
            return EventCodec.mapper().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a task cannot be written as JSON", e);
        }
    }

    /** A task stored as {@link #toJson} wrote it. */
    public static TaskSpec fromJson(String json) {
        try {
            return EventCodec.mapper().readValue(json, TaskSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored task is not a task: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The jobs a run of the task queues: one per variant, each its changes over the task's own settings (base
     * model, method, hyperparameters field by field); or one job with the task's own settings when it has none.
     */
    public static List<TaskSpec.Run> runs(TaskSpec spec) {
        if (spec.variants() == null || spec.variants().isEmpty()) {
            return List.of(new TaskSpec.Run(TaskSpec.BASE_VARIANT, spec.baseModel(), spec.method(),
                    spec.hyperparameters()));
        }
        return spec.variants().stream().map(v -> new TaskSpec.Run(v.name(),
                v.baseModel() != null ? v.baseModel() : spec.baseModel(),
                v.method() != null ? v.method() : spec.method(),
                merge(spec.hyperparameters(), v.hyperparameters()))).toList();
    }

    /** The metrics a task is judged on: its own list, else the usual ones of its task type. */
    public static List<String> metrics(TaskSpec spec) {
        if (spec.metrics() != null) {
            return spec.metrics();
        }
        return spec.task() == TaskType.CLASSIFICATION ? List.of("accuracy", "macroF1") : List.of("rougeL", "loss");
    }

    /** What the evaluator computes for a task type. */
    public static List<String> allowedMetrics(TaskType task) {
        List<String> allowed = new ArrayList<>();
        if (task == TaskType.CLASSIFICATION) {
            allowed.addAll(CLASSIFICATION_METRICS);
        } else if (task != TaskType.LANGUAGE_MODELING) {
            allowed.addAll(WRITTEN_ANSWER_METRICS);
            if (task != TaskType.CHAT) {
                allowed.addAll(GROUNDED_ANSWER_METRICS);
            }
        }
        allowed.addAll(ANY_TASK_METRICS);
        return allowed;
    }

    private static List<String> rules(TaskSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.task() == null) {
            return problems; // the schema said what is wrong with it; the rules below depend on it
        }
        boolean classification = spec.task() == TaskType.CLASSIFICATION;
        if (classification && spec.labels() == null) {
            problems.add("labels: is required for a CLASSIFICATION task: list its labels");
        }
        if (!classification && spec.labels() != null) {
            problems.add("labels: only a CLASSIFICATION task has labels, this one is " + spec.task());
        }
        if (spec.prompt() != null && spec.prompt().template() != null) {
            if (PLACEHOLDERS.stream().noneMatch(spec.prompt().template()::contains)) {
                problems.add("prompt.template: must contain {text}, {instruction} or {input} where the record goes");
            }
            if (spec.task() == TaskType.CHAT) {
                problems.add("prompt: a CHAT task has no prompt-only baseline (its records are whole conversations)");
            }
        }
        List<String> allowed = allowedMetrics(spec.task());
        for (String metric : metrics(spec)) {
            if (!allowed.contains(metric)) {
                problems.add("metrics: " + metric + " is not computed for a " + spec.task() + " task (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
        if (spec.gate() != null && spec.gate().metric() != null && !metrics(spec).contains(spec.gate().metric())) {
            problems.add("gate.metric: must be one of the task's metrics " + metrics(spec) + " but was '"
                    + spec.gate().metric() + "'");
        }
        Set<String> names = new HashSet<>();
        List<TaskSpec.Variant> variants = spec.variants() == null ? List.of() : spec.variants();
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).name() != null && !names.add(variants.get(i).name())) {
                problems.add("variants[" + i + "].name: '" + variants.get(i).name() + "' is used twice");
            }
        }
        List<TaskSpec.Run> runs = spec.dataset() == null ? List.of() : runs(spec);
        for (int i = 0; i < runs.size(); i++) {
            String prefix = variants.isEmpty() ? "" : "variants[" + i + "].";
            for (String problem : request(spec, runs.get(i)).problems()) {
                // names, dataset, base model and method are the schema's to check; the settings' ranges are not
                if (problem.startsWith("hyperparameters")) {
                    problems.add(prefix + problem);
                }
            }
        }
        if (spec.retraining() != null && Boolean.TRUE.equals(spec.retraining().enabled())) {
            if (spec.retraining().minNewExamples() == null) {
                problems.add("retraining.minNewExamples: is required when retraining is enabled");
            }
            if (spec.retraining().minInterval() != null) {
                try {
                    Duration.parse(spec.retraining().minInterval());
                } catch (DateTimeParseException e) {
                    problems.add("retraining.minInterval: must be an ISO-8601 duration such as PT1H but was '"
                            + spec.retraining().minInterval() + "'");
                }
            }
        }
        return problems;
    }

    /** The training request one run of the task makes, as the registry publishes it. */
    public static TrainingRequested request(TaskSpec spec, TaskSpec.Run run, String jobId, String datasetVersion,
                                            String requestedBy, String reason) {
        return new TrainingRequested(TrainingRequested.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), jobId,
                spec.name(), new DatasetRef(spec.dataset().name(), datasetVersion), run.baseModel(), run.method(),
                run.hyperparameters(), requestedBy, reason);
    }

    private static TrainingRequested request(TaskSpec spec, TaskSpec.Run run) {
        return request(spec, run, "check", "check", "check", "check");
    }

    private static Hyperparameters merge(Hyperparameters base, Hyperparameters change) {
        if (change == null) {
            return base;
        }
        if (base == null) {
            return change;
        }
        ObjectNode merged = EventCodec.mapper().valueToTree(base);
        merge(merged, EventCodec.mapper().valueToTree(change));
        return EventCodec.mapper().convertValue(merged, Hyperparameters.class);
    }

    private static void merge(ObjectNode into, JsonNode change) {
        change.fields().forEachRemaining(field -> {
            if (field.getValue().isNull()) {
                return;
            }
            if (field.getValue().isObject() && into.get(field.getKey()) instanceof ObjectNode nested) {
                merge(nested, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        });
    }

    /** An error's field as the task file's author reads it: {@code variants[0].hyperparameters.batchSize}. */
    private static String path(Error error) {
        StringBuilder path = new StringBuilder();
        for (String part : error.getInstanceLocation().toString().split("/")) {
            if (part.isEmpty() || part.equals("$")) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                path.append('[').append(part).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(part);
            }
        }
        return path.length() == 0 ? "(the file)" : path.toString();
    }

    private static String message(Error error) {
        String message = error.getMessage();
        String prefix = error.getInstanceLocation() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static Schema loadSchema() {
        try (InputStream in = TaskSpecs.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is not packaged next to " + TaskSpecs.class);
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
