package dev.finetune.dataset.domain;

import java.time.Instant;

/**
 * The last training job automatic retraining requested for a dataset, kept to hold the policy's interval.
 *
 * @param requestedAt when it was requested
 * @param jobId       its job id
 * @param version     the dataset version it trains on
 * @param reason      why, as written on the request
 */
public record RetrainingState(Instant requestedAt, String jobId, String version, String reason) {
}
