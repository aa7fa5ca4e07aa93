/** Declarative tasks: the task file's model ({@link dev.finetune.contracts.tasks.TaskSpec}), its schema and checks. */
package dev.finetune.contracts.tasks;
