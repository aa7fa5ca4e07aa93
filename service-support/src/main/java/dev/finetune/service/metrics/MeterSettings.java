package dev.finetune.service.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;

/**
 * Meter settings every service shares: HTTP latencies and job durations are published as histograms, so Grafana
 * can show p50/p95 across replicas ({@code histogram_quantile} over {@code _bucket}); other timers keep count, sum
 * and max only.
 */
@Singleton
public class MeterSettings {

    /** The timers whose quantiles the dashboards show, with the range their buckets cover. */
    static final Map<String, Duration[]> HISTOGRAMS = Map.of(
            "http.server.requests", new Duration[] {Duration.ofMillis(1), Duration.ofSeconds(60)},
            "finetune.training.duration", new Duration[] {Duration.ofSeconds(1), Duration.ofHours(24)});

    @Produces
    @Singleton
    MeterFilter histograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                Duration[] range = HISTOGRAMS.get(id.getName());
                if (range != null) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true)
                            .minimumExpectedValue((double) range[0].toNanos())
                            .maximumExpectedValue((double) range[1].toNanos()).build().merge(config);
                }
                return config;
            }
        };
    }
}
