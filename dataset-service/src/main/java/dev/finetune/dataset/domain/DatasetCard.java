package dev.finetune.dataset.domain;

import dev.finetune.contracts.events.DatasetVersionCreated;
import dev.finetune.contracts.events.TaskType;
import java.util.Locale;
import java.util.TreeSet;

/** The human-readable card of a dataset version, in Markdown: what it holds, where it came from, how it was made. */
public final class DatasetCard {

    private DatasetCard() {
    }

    public static String markdown(DatasetVersionCreated version, VersionStats stats) {
        DatasetSettings settings = stats.settings();
        StringBuilder md = new StringBuilder();
        md.append("# Dataset ").append(version.dataset().name()).append(", version ")
                .append(version.dataset().version()).append("\n\n");
        md.append("| | |\n| --- | --- |\n");
        row(md, "task", settings.task().name());
        row(md, "created", version.occurredAt().toString());
        row(md, "made from", stats.source() + (stats.createdBy() == null ? "" : ", by " + stats.createdBy()));
        row(md, "parent version", stats.parentVersion() == null ? "none (first version)" : stats.parentVersion());
        row(md, "examples", stats.total() + " (" + stats.added() + " added, " + stats.removed()
                + " removed since the parent)");
        row(md, "content sha256", "`" + version.contentSha256() + "`");
        row(md, "fields", settings.fields().fieldsOf(settings.task()).toString());
        row(md, "split", String.format(Locale.ROOT, "train / validation / test = %.2f / %.2f / %.2f, by %s",
                settings.splitRatios().share(Split.TRAIN), settings.validationRatio(), settings.testRatio(),
                settings.fields().group() != null ? "group `" + settings.fields().group() + "`"
                        : "prompt text" + (settings.task() == TaskType.CLASSIFICATION
                        ? ", stratified by label" : "")));
        if (settings.baselinePrompt() != null) {
            row(md, "baseline prompt", "`" + settings.baselinePrompt().replace("\n", "\\n") + "`");
            if (settings.baselineShots() != null && settings.baselineShots() > 0) {
                row(md, "few-shot baseline", settings.baselineShots() + " solved training examples before the prompt");
            }
        }
        md.append("\n## Splits\n\n| split | examples | tokens: min | mean | p50 | p90 | p99 | max |\n")
                .append("| --- | --: | --: | --: | --: | --: | --: | --: |\n");
        for (Split s : Split.values()) {
            TokenStats t = stats.tokens().get(s.label());
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f | %d | %d | %d | %d |%n", s.label(),
                    stats.examples().get(s.label()), t.min(), t.mean(), t.p50(), t.p90(), t.p99(), t.max()));
        }
        md.append("\nTokens are counted with `").append(stats.tokenizer())
                .append("` on each example as the trainer renders it.\n");
        if (!stats.labels().isEmpty()) {
            TreeSet<String> labels = new TreeSet<>();
            stats.labels().values().forEach(m -> labels.addAll(m.keySet()));
            md.append("\n## Labels\n\n| label | train | validation | test |\n| --- | --: | --: | --: |\n");
            for (String label : labels) {
                md.append("| ").append(label);
                for (Split s : Split.values()) {
                    md.append(" | ").append(stats.labels().get(s.label()).getOrDefault(label, 0));
                }
                md.append(" |\n");
            }
        }
        CleaningReport c = stats.cleaning();
        md.append("\n## Cleaning\n\n| rule | records |\n| --- | --: |\n");
        Object[][] rules = {
                {"invalid records skipped", c.rejected()}, {"of which too long", c.tooLong()},
                {"Unicode normalised (NFC)", c.unicodeNormalised()},
                {"whitespace collapsed or trimmed", c.whitespace()},
                {"control characters removed", c.controlCharacters()},
                {"conflicting labels dropped", c.conflictingLabels()}, {"exact duplicates dropped", c.duplicates()},
                {"near-duplicates dropped", c.nearDuplicates()}};
        for (Object[] rule : rules) {
            md.append("| ").append(rule[0]).append(" | ").append(rule[1]).append(" |\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}
