/** Real Kafka, S3 and PostgreSQL servers and the four services, started on one machine without Docker. */
package dev.finetune.stack;
