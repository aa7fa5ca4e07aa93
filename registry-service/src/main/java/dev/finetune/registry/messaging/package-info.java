/** Kafka consumers that record every job and model version, and the producers of registry facts. */
package dev.finetune.registry.messaging;
