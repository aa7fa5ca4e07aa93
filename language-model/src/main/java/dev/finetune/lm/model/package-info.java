/** The tiny GPT's configuration and its DJL blocks (attention, MLP, transformer block, the whole model) and loss. */
package dev.finetune.lm.model;
