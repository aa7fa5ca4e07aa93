/** Models and test splits in, evaluation reports out, in object storage. */
package dev.finetune.evaluator.storage;
