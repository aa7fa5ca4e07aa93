/** A small HTTP and Kafka client of the running platform, used by the demo and the end-to-end test. */
package dev.finetune.stack.client;
