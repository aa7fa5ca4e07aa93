/**
 * Hugging Face checkpoint files: the safetensors format ({@link dev.finetune.lm.checkpoint.SafetensorsFile} to read,
 * {@link dev.finetune.lm.checkpoint.SafetensorsWriter} to write) and the sharded folder layout
 * ({@link dev.finetune.lm.checkpoint.ShardedCheckpoint}: {@code model.safetensors.index.json} or a single
 * {@code model.safetensors}).
 *
 * <p>A safetensors file is an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}}, possibly padded with
 * spaces), then the packed little-endian, row-major data. Offsets are relative to the start of the data.
 */
package dev.finetune.lm.checkpoint;
