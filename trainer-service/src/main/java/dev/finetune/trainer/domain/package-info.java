/** Training jobs: from a request to a stored model and its completion event. */
package dev.finetune.trainer.domain;
