/** Speed of the engine measured as ../shared/BENCHMARKS.md prescribes, one configuration per process. */
package dev.finetune.bench;
