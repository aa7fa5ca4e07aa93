/** REST endpoints: the job API and model versions with their lineage and metrics. */
package dev.finetune.registry.api;
