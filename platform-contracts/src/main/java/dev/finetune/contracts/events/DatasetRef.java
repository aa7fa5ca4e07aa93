package dev.finetune.contracts.events;

import java.util.List;

/** One version of a named dataset, as stored under {@code s3://datasets/<name>/<version>/}. */
public record DatasetRef(String name, String version) {

    public List<String> problems() {
        return new Problems().name(name, "name").name(version, "version").toList();
    }
}
