/** Typed configuration of evaluator-service. */
package dev.finetune.evaluator.config;
