package dev.finetune.dataset.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.dataset.config.DatasetConfig;
import dev.finetune.dataset.domain.CleaningReport;
import dev.finetune.dataset.domain.DatasetSettings;
import dev.finetune.dataset.domain.Example;
import dev.finetune.dataset.domain.ExampleParser;
import dev.finetune.dataset.domain.Split;
import dev.finetune.dataset.domain.TokenCounter;
import dev.finetune.dataset.domain.UploadFormat;
import dev.finetune.dataset.domain.VersionBuilder;
import dev.finetune.dataset.domain.VersionStats;
import dev.finetune.dataset.messaging.DatasetEvents;
import dev.finetune.dataset.storage.DatasetStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ObjIntConsumer;
import org.jboss.logging.Logger;

/**
 * Makes dataset versions: reads the input through validation into a {@link VersionBuilder} on top of the current
 * HEAD, and stores and announces the result. Input that fails validation, cleaning or splitting stores nothing and
 * leaves every version as it was.
 */
@ApplicationScoped
public class DatasetVersions {

    private static final Logger LOG = Logger.getLogger(DatasetVersions.class);

    /** What making a version came to. */
    public sealed interface Outcome {
    }

    /** Nothing was stored: {@code error} says why in one line, {@code problems} in detail. */
    public record Rejected(String error, List<String> problems) implements Outcome {
    }

    /**
     * A version holds the input: newly stored ({@code created}), or already there (the same content again).
     *
     * @param problems the invalid records skipped, as in {@link ExampleParser.Report#problems()}
     */
    public record Stored(DatasetVersionCreated version, boolean created, CleaningReport cleaning, VersionStats stats,
                         List<String> problems) implements Outcome {
    }

    private final DatasetStore datasets;
    private final DatasetEvents events;
    private final DatasetConfig config;
    private final TokenCounters tokenCounters;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public DatasetVersions(DatasetStore datasets, DatasetEvents events, DatasetConfig config,
                           TokenCounters tokenCounters, ObjectMapper mapper, MeterRegistry meters) {
        this.datasets = datasets;
        this.events = events;
        this.config = config;
        this.tokenCounters = tokenCounters;
        this.mapper = mapper;
        this.meters = meters;
    }

    /** The dataset's stored settings under {@code overrides}, completed by the service's defaults. */
    public DatasetSettings settings(String dataset, DatasetSettings overrides) {
        DatasetSettings merged = datasets.settings(dataset).orElse(DatasetSettings.NONE).overriddenBy(overrides);
        if (merged.task() == null) {
            // a dataset made without settings keeps the task of its versions
            Optional<DatasetVersionCreated> head = datasets.head(dataset);
            if (head.isPresent()) {
                merged = merged.overriddenBy(DatasetSettings.ofTask(head.get().task()));
            }
        }
        return complete(merged);
    }

    /**
     * Replaces the dataset's settings when they are valid (completed by the defaults, of the task its versions hold,
     * with a tokenizer that loads) and returns every problem otherwise, storing nothing.
     */
    public List<String> replaceSettings(String dataset, DatasetSettings settings) {
        DatasetSettings complete = complete(settings);
        List<String> problems = new ArrayList<>(complete.problems());
        datasets.head(dataset)
                .filter(head -> head.task() != complete.task())
                .ifPresent(head -> problems.add("task: dataset " + dataset + " holds " + head.task() + " examples, "
                        + "not " + complete.task() + "; use another dataset name for another task"));
        if (problems.isEmpty()) {
            try {
                parser(complete);
            } catch (IllegalArgumentException e) {
                problems.add("tokenizer: " + e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            datasets.putSettings(dataset, settings);
        }
        return problems;
    }

    /** Settings with what they leave out taken from the service's defaults. */
    public DatasetSettings complete(DatasetSettings settings) {
        return settings.withDefaults(config.validationRatio(), config.testRatio(), config.maxTextChars());
    }

    /** A parser for the dataset's records under its settings (complete ones). */
    public ExampleParser parser(DatasetSettings settings) {
        return parser(settings, tokenCounters.forName(settings.tokenizer()));
    }

    private ExampleParser parser(DatasetSettings settings, TokenCounter tokens) {
        return new ExampleParser(mapper, settings, tokens, config.maxLineChars());
    }

    /** What a version is made from: it reads its examples, each with its length in tokens, into {@code sink}. */
    private interface Input {
        ExampleParser.Report read(ExampleParser parser, TokenCounter tokens, ObjIntConsumer<Example> sink);
    }

    /**
     * A version made from an upload: the upload alone, or with {@code append} the HEAD version's examples and the
     * upload's.
     */
    public Outcome upload(String dataset, DatasetSettings overrides, boolean append, UploadFormat format,
                          InputStream body, String createdBy) {
        return make(dataset, overrides, append, append ? "append" : "upload", createdBy,
                (parser, tokens, sink) -> parser.parse(body, format, sink));
    }

    /** A version of HEAD's examples and {@code examples} (already validated, e.g. streamed labeled examples). */
    public Outcome append(String dataset, List<Example> examples, String source, String createdBy) {
        return make(dataset, DatasetSettings.NONE, true, source, createdBy, (parser, tokens, sink) -> {
            examples.forEach(e -> sink.accept(e, tokens.count(e)));
            return new ExampleParser.Report(examples.size(), List.of(), 0, 0, null, 0, 0, 0, 0);
        });
    }

    /**
     * One version made at a time per dataset in this process: each starts from the HEAD the previous one left.
     * (Replicas do not coordinate: two uploads to one dataset at the same moment on two replicas both start from
     * the same HEAD, and the later one's version becomes HEAD; both versions are kept.)
     */
    private Outcome make(String dataset, DatasetSettings overrides, boolean append, String source, String createdBy,
                         Input input) {
        synchronized (locks.computeIfAbsent(dataset, d -> new Object())) {
            return makeLocked(dataset, overrides, append, source, createdBy, input);
        }
    }

    private Outcome makeLocked(String dataset, DatasetSettings overrides, boolean append, String source,
                               String createdBy, Input input) {
        DatasetSettings settings;
        try {
            settings = settings(dataset, overrides);
        } catch (IllegalArgumentException e) {
            return new Rejected("invalid settings", List.of(e.getMessage()));
        }
        List<String> settingProblems = settings.problems();
        if (!settingProblems.isEmpty()) {
            return new Rejected("invalid request", settingProblems);
        }
        Optional<DatasetVersionCreated> head = datasets.head(dataset);
        if (head.isPresent() && head.get().task() != settings.task()) {
            return new Rejected("invalid request", List.of("task: dataset " + dataset + " holds "
                    + head.get().task() + " examples, not " + settings.task()
                    + "; use another dataset name for another task"));
        }
        TokenCounter tokens;
        try {
            tokens = tokenCounters.forName(settings.tokenizer());
        } catch (IllegalArgumentException e) {
            return new Rejected("invalid request", List.of("tokenizer: " + e.getMessage()));
        }
        ExampleParser parser = parser(settings, tokens);
        try (VersionBuilder builder = new VersionBuilder(settings.task(), settings.splitRatios(), parser, mapper)) {
            head.ifPresent(parent -> {
                for (Split split : Split.values()) {
                    datasets.readSplit(parent, split,
                            e -> builder.parent(e, split, append ? tokens.count(e) : 0, append));
                }
            });
            ExampleParser.Report report = input.read(parser, tokens, builder::add);
            meters.counter("finetune.dataset.records", "outcome", "rejected").increment(report.rejectedRecords());
            if (!settings.onInvalid().accepts(report)) {
                String error = report.uploadProblem() != null
                        ? "the upload cannot be read; nothing was stored"
                        : report.acceptedRecords() == 0
                        ? "the upload has " + report.rejectedRecords()
                                + " invalid records and no valid one; nothing was stored"
                        : "the upload has " + report.rejectedRecords() + " invalid records; nothing was stored";
                return new Rejected(error, report.problems());
            }
            VersionBuilder.Built built;
            try {
                built = builder.build();
            } catch (IllegalArgumentException e) {
                return new Rejected("the upload cannot be made a version; nothing was stored", List.of(e.getMessage()));
            }
            CleaningReport cleaning = CleaningReport.of(report, built.duplicates(), built.nearDuplicates(),
                    built.conflictingLabels());
            count(cleaning, built);
            Map<String, Integer> counts = new LinkedHashMap<>();
            built.counts().forEach((split, n) -> counts.put(split.label(), n));
            VersionStats stats = new VersionStats(head.map(h -> h.dataset().version()).orElse(null), counts,
                    built.labelCounts(), built.tokens(), tokens.name(), built.added(), built.removed(), settings,
                    cleaning, source, createdBy);
            Optional<DatasetVersionCreated> existing = datasets.find(new DatasetRef(dataset, built.version()));
            if (existing.isPresent()) {
                // announced again: the first announcement may have failed after the version was stored, and
                // consumers drop the repeat by its event id
                events.versionCreated(existing.get());
                return new Stored(existing.get(), false, cleaning,
                        datasets.stats(existing.get().dataset()).orElse(stats), report.problems());
            }
            DatasetVersionCreated created = datasets.save(dataset, built, stats);
            events.versionCreated(created);
            LOG.infof("dataset %s version %s (%s, parent %s): %s examples, %d added, %d removed, %s", dataset,
                    built.version(), source, stats.parentVersion(), counts, built.added(), built.removed(), cleaning);
            return new Stored(created, true, cleaning, stats, report.problems());
        }
    }

    private void count(CleaningReport cleaning, VersionBuilder.Built built) {
        meters.counter("finetune.dataset.records", "outcome", "accepted").increment(built.added());
        meters.counter("finetune.dataset.records", "outcome", "duplicate").increment(cleaning.duplicates());
        meters.counter("finetune.dataset.records", "outcome", "near-duplicate").increment(cleaning.nearDuplicates());
        meters.counter("finetune.dataset.records", "outcome", "conflicting-label")
                .increment(cleaning.conflictingLabels());
    }
}
