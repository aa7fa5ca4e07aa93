/** What every service's Prometheus metrics share. */
package dev.finetune.service.metrics;
