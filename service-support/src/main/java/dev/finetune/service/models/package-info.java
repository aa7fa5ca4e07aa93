/** Base models named by jobs, found in object storage and kept as local folders for the engine to read. */
package dev.finetune.service.models;
