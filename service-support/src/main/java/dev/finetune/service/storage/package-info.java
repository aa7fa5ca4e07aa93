/** The object storage connection of a service: its configuration and the one ObjectStore bean. */
package dev.finetune.service.storage;
