/** REST endpoints for uploading and reading dataset versions. */
package dev.finetune.dataset.api;
