/** Kafka consumers and producers of trainer-service. */
package dev.finetune.trainer.messaging;
