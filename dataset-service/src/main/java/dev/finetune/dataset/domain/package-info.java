/** Framework-free dataset logic: parsing and validating examples, splitting them, building versions. */
package dev.finetune.dataset.domain;
