package dev.finetune.service.api;

import java.util.List;

/** The body of a 4xx or 5xx answer of every service: what failed, and every problem found. */
public record ProblemResponse(String error, List<String> problems) {
}
