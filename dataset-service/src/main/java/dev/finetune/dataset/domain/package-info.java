/** Framework-free dataset logic: parsing JSONL and CSV, validating, cleaning, splitting, building versions. */
package dev.finetune.dataset.domain;
