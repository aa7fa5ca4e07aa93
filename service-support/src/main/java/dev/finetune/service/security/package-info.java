/** Authentication and roles, shared by every service. */
package dev.finetune.service.security;
