/** Kafka consumers and producers of dataset-service. */
package dev.finetune.dataset.messaging;
