/** What the services' HTTP APIs share: the shape of an error answer. */
package dev.finetune.service.api;
