/** Kafka consumers and producers of evaluator-service. */
package dev.finetune.evaluator.messaging;
