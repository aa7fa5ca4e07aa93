package dev.finetune.dataset.api;

import java.util.List;

/** The body of a 4xx answer: what failed, and every problem found. */
public record ProblemResponse(String error, List<String> problems) {
}
