/** Typed configuration of dataset-service. */
package dev.finetune.dataset.config;
