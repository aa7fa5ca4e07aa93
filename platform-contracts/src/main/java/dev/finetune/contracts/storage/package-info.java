/** Object storage through the MinIO SDK: buckets, s3:// addresses and artifacts with their sha256. */
package dev.finetune.contracts.storage;
