/** Typed configuration of trainer-service. */
package dev.finetune.trainer.config;
