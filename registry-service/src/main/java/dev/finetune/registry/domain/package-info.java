/** The registry's records and the rules that change them. */
package dev.finetune.registry.domain;
