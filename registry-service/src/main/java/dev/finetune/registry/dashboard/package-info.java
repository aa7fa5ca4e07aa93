/**
 * The web dashboard: pages rendered on the server from the registry's records (jobs, live curves, model versions,
 * comparisons, datasets), with a small script for the charts and the buttons, which call the same API as any
 * other client.
 */
package dev.finetune.registry.dashboard;
