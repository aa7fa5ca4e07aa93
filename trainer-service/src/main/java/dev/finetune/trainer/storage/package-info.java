/** Dataset splits in, trained models out, in object storage. */
package dev.finetune.trainer.storage;
