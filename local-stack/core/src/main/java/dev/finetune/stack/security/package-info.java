/** The local stack's own identity provider: a signing key pair and the bearer tokens it issues. */
package dev.finetune.stack.security;
