/** How input (uploads, streamed examples) becomes a stored, announced dataset version. */
package dev.finetune.dataset.ingest;
