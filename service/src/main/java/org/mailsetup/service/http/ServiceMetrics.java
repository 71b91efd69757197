package org.mailsetup.service.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ServerSettings;
import org.mailsetup.SourceReport;

/**
 * The service's own meters, beside Vert.x's per-route HTTP metrics in the same registry. Discovery
 * meters count each discovery once: the first time its result is delivered (a "miss"); later
 * deliveries of the same result object, from core's cache or a shared in-flight discovery, are hits.
 */
final class ServiceMetrics {

    private final PrometheusMeterRegistry registry;
    private final Counter hits;
    private final Counter misses;
    private final Counter probesMade;
    private final Counter probesVerified;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    ServiceMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.hits = Counter.builder("mailsetup.lookup.cache").tag("result", "hit")
                .description("Lookups answered from core's cache or a shared in-flight discovery").register(registry);
        this.misses = Counter.builder("mailsetup.lookup.cache").tag("result", "miss")
                .description("Lookups that ran a discovery").register(registry);
        Gauge.builder("mailsetup.lookup.cache.hit.ratio", this, m -> m.hitRatio())
                .description("Share of lookups answered without a new discovery").register(registry);
        this.probesMade = Counter.builder("mailsetup.probes.made")
                .description("Servers probed by discoveries").register(registry);
        this.probesVerified = Counter.builder("mailsetup.probes.verified")
                .description("Servers a probe verified").register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    private double hitRatio() {
        double h = hits.count();
        double total = h + misses.count();
        return total == 0 ? 0 : h / total;
    }

    /** Records a delivered result; {@code fresh} is true the first time this result object is seen. */
    void delivered(DiscoveryResult r, boolean fresh) {
        String outcome = r.error() == null ? "found" : r.error().code().id();
        // Looked up once per outcome: building a meter id on every request costs more than the request.
        outcomes.computeIfAbsent(outcome, o -> registry.counter("mailsetup.lookups", "outcome", o)).increment();
        if (!fresh) {
            hits.increment();
            return;
        }
        misses.increment();
        for (SourceReport s : r.sources()) {
            registry.counter("mailsetup.discovery.source", "source", s.name().id(), "status", s.status().jsonName())
                    .increment();
        }
        countProbes(r.incoming());
        countProbes(r.outgoing());
    }

    private void countProbes(java.util.List<ServerSettings> list) {
        for (ServerSettings s : list) {
            if (s.probe() != null) {
                probesMade.increment();
            }
            if (s.verified()) {
                probesVerified.increment();
            }
        }
    }

    void refused(String reason) {
        registry.counter("mailsetup.lookups.refused", "reason", reason).increment();
    }
}
