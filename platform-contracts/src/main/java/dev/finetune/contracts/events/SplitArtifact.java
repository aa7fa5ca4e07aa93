package dev.finetune.contracts.events;

import java.util.List;

/** One split of a dataset version: where its JSONL file is stored and how many examples it holds. */
public record SplitArtifact(ArtifactRef artifact, int examples) {

    public List<String> problems() {
        Problems p = new Problems().notNull(artifact, "artifact").check(examples >= 0, "examples", "must not be negative");
        if (artifact != null) {
            p.nested("artifact", artifact.problems());
        }
        return p.toList();
    }
}
