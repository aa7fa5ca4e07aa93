package dev.finetune.registry.domain;

/** Where a job stands, as far as the registry has heard. */
public enum JobStatus {
    QUEUED, RUNNING, TRAINED, EVALUATED, FAILED;

    public boolean ended() {
        return this == EVALUATED || this == FAILED;
    }
}
