/** What the build knows about itself: the code version recorded in lineage. */
package dev.finetune.service.build;
