package dev.finetune.registry.api;

import java.util.ArrayList;
import java.util.List;

/** The bounds of a page of a list answer, so that no request reads a whole table. */
final class Paging {

    static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    static List<String> problems(int limit, int offset) {
        List<String> problems = new ArrayList<>();
        if (limit < 1 || limit > MAX_LIMIT) {
            problems.add("limit: must be between 1 and " + MAX_LIMIT + " but was " + limit);
        }
        if (offset < 0) {
            problems.add("offset: must not be negative but was " + offset);
        }
        return problems;
    }
}
