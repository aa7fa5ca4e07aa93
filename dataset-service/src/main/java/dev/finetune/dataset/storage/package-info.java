/** Dataset versions in the datasets bucket. */
package dev.finetune.dataset.storage;
