/** Real Kafka, S3 and PostgreSQL servers for tests: Testcontainers where Docker exists, embedded otherwise. */
package dev.finetune.testing;
