package dev.finetune.registry.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.finetune.contracts.events.EventCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Two model versions side by side: each whole, every lineage field (job, data, base model, method, code, each
 * hyperparameter) with both values and whether they differ, and every metric with both values and the change
 * from {@code a} to {@code b}. What a user reads to tell why one version scores better than another.
 */
public record VersionComparison(ModelVersionView a, ModelVersionView b, List<FieldDifference> lineage,
                                List<MetricDifference> evaluationMetrics, List<MetricDifference> trainingMetrics) {

    /** One lineage field of both versions. */
    public record FieldDifference(String field, Object a, Object b, boolean differs) {
    }

    /** One metric of both versions, either absent (null) when only the other has it; {@code change} is b - a. */
    public record MetricDifference(String metric, Double a, Double b, Double change) {
    }

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    public static VersionComparison of(ModelVersionView a, ModelVersionView b) {
        Map<String, Object> la = lineage(a);
        Map<String, Object> lb = lineage(b);
        List<FieldDifference> lineage = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(la.keySet());
        names.addAll(lb.keySet());
        for (String field : la.keySet()) {
            lineage.add(difference(field, la, lb));
            names.remove(field);
        }
        names.forEach(field -> lineage.add(difference(field, la, lb)));
        return new VersionComparison(a, b, lineage, metrics(a.evaluationMetrics(), b.evaluationMetrics()),
                metrics(a.trainingMetrics(), b.trainingMetrics()));
    }

    private static FieldDifference difference(String field, Map<String, Object> a, Map<String, Object> b) {
        return new FieldDifference(field, a.get(field), b.get(field), !Objects.equals(a.get(field), b.get(field)));
    }

    /** The lineage as flat fields, hyperparameters (and their LoRA settings) one by one. */
    private static Map<String, Object> lineage(ModelVersionView v) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("modelName", v.modelName());
        fields.put("version", v.version());
        fields.put("jobId", v.jobId());
        fields.put("baseModel", v.baseModel());
        fields.put("method", v.method());
        fields.put("dataset", v.dataset().name());
        fields.put("datasetVersion", v.dataset().version());
        fields.put("datasetSha256", v.datasetSha256());
        fields.put("codeVersion", v.codeVersion());
        fields.putAll(flatFields("hyperparameters.", v.hyperparameters()));
        return fields;
    }

    /** An object's JSON fields one by one, nested objects as {@code outer.inner}, each name after {@code prefix}. */
    public static Map<String, Object> flatFields(String prefix, Object value) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (value != null) {
            flatten(prefix, EventCodec.mapper().convertValue(value, FIELDS), fields);
        }
        return fields;
    }

    private static void flatten(String prefix, Map<String, Object> values, Map<String, Object> into) {
        values.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                Map<String, Object> typed = new LinkedHashMap<>();
                nested.forEach((k, v) -> typed.put(String.valueOf(k), v));
                flatten(prefix + key + ".", typed, into);
            } else {
                into.put(prefix + key, value);
            }
        });
    }

    private static List<MetricDifference> metrics(Map<String, Double> a, Map<String, Double> b) {
        Map<String, Double> ma = a == null ? Map.of() : a;
        Map<String, Double> mb = b == null ? Map.of() : b;
        TreeSet<String> names = new TreeSet<>(ma.keySet());
        names.addAll(mb.keySet());
        return names.stream().map(name -> {
            Double va = ma.get(name);
            Double vb = mb.get(name);
            return new MetricDifference(name, va, vb, va == null || vb == null ? null : vb - va);
        }).toList();
    }
}
