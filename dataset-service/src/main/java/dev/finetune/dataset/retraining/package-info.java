/** Automatic retraining: new labeled data that meets a dataset's policy becomes a version and a training request. */
package dev.finetune.dataset.retraining;
