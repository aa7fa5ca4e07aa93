/** The roles of the platform's bearer tokens, shared by services, CLI and tests. */
package dev.finetune.contracts.security;
