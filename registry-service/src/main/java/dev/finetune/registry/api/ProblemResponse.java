package dev.finetune.registry.api;

import java.util.List;

/** The body of a 4xx or 5xx answer: what failed, and every problem found. */
public record ProblemResponse(String error, List<String> problems) {
}
