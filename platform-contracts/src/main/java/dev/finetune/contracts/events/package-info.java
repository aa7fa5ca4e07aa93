/** Event records that services exchange over Kafka, the topics they travel on, and their JSON codec. */
package dev.finetune.contracts.events;
