/** The {@code finetune} command line: up, down, status, submit and demo. */
package dev.finetune.stack.cli;
