package dev.finetune.dataset.domain;

import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.storage.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A dataset version before it is stored: its examples split three ways, its label set and its content hash.
 * The version id is derived from the content hash, so the same content always makes the same version.
 */
public record VersionDraft(
        String version,
        String contentSha256,
        TaskType task,
        List<String> labels,
        Map<Split, List<String>> jsonLines) {

    /** Version ids are this many hex digits of the content hash. */
    static final int VERSION_HEX_DIGITS = 16;

    /** Splits examples and derives the content hash; every split must end up with at least one example. */
    public static VersionDraft of(List<Example> examples, TaskType task, SplitRatios ratios, ExampleParser parser) {
        Map<Split, List<String>> lines = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            lines.put(s, new ArrayList<>());
        }
        TreeSet<String> labels = new TreeSet<>();
        MessageDigest content = Digests.newSha256();
        content.update(task.name().getBytes(StandardCharsets.UTF_8));
        for (Example e : examples) {
            String line = parser.toJsonLine(e);
            content.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            lines.get(ratios.assign(e.text())).add(line);
            if (e.label() != null) {
                labels.add(e.label());
            }
        }
        List<String> empty = lines.entrySet().stream().filter(en -> en.getValue().isEmpty())
                .map(en -> en.getKey().name().toLowerCase()).toList();
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException(examples.size() + " examples leave the " + String.join(" and ", empty)
                    + " split empty; upload more examples");
        }
        String sha = HexFormat.of().formatHex(content.digest());
        return new VersionDraft("v" + sha.substring(0, VERSION_HEX_DIGITS), sha, task, List.copyOf(labels), lines);
    }

    public int count(Split split) {
        return jsonLines.get(split).size();
    }

    public byte[] bytes(Split split) {
        StringBuilder sb = new StringBuilder();
        jsonLines.get(split).forEach(l -> sb.append(l).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
