/** The demo's own base model: a generated text corpus and the pre-training that turns it into a small Llama. */
package dev.finetune.stack.demo;
