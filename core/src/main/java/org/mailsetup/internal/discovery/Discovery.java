package org.mailsetup.internal.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.Endpoint;
import org.mailsetup.LookupError;
import org.mailsetup.ProbeReport;
import org.mailsetup.ProviderInfo;
import org.mailsetup.Security;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceProbeReport;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceName;
import org.mailsetup.SourceReport;
import org.mailsetup.SourceStatus;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.dns.DnsAnswer;
import org.mailsetup.internal.dns.DnsException;
import org.mailsetup.internal.dns.MxRecord;
import org.mailsetup.internal.httpprobe.HttpServiceProber;
import org.mailsetup.internal.probe.Prober;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lookup: starts every source at once, merges what they find, probes the best candidates as soon
 * as they arrive, and stops at the deadline, or earlier once nothing still running could beat the
 * verified answer. Everything happens on one event loop (this thread); sources and probes run on
 * virtual threads and report back through a queue, so no state here is shared.
 *
 * <p>A lookup that covers contacts, calendars or JMAP runs their sources beside the mail sources and probes
 * their endpoints with probes of their own, so the mail answer never waits for them: once it is settled, the
 * lookup returns as soon as every other service is settled too (or the deadline comes), and each service
 * stops probing once its best endpoint is verified and trusted.
 */
public final class Discovery {

    private static final Logger log = LoggerFactory.getLogger(Discovery.class);

    /** Connections one lookup may have open at once, and to one host at once. */
    static final int MAX_CONCURRENT_PROBES = 6;
    // Four, so that one host serving IMAP, POP3 and both SMTP ports is verified in one wave.
    static final int MAX_PROBES_PER_HOST = 4;
    /** Probes one lookup may make in all, so that a lookup can't be used to scan a network. */
    static final int MAX_PROBES = 24;
    /** HTTPS probes of contacts, calendars and JMAP endpoints: at once, and in all (beside the mail probes). */
    static final int MAX_CONCURRENT_SERVICE_PROBES = 3;
    static final int MAX_SERVICE_PROBES = 12;
    /** Host names one lookup resolves to check them against the network policy (no connection). */
    static final int MAX_SCREENED_HOSTS = 48;

    /** Time kept back from the deadline to merge, rank and return (or a twentieth of a short deadline). */
    static final Duration ASSEMBLY_RESERVE = Duration.ofMillis(40);
    /**
     * A probe is not started with less time than this left: it could only fail for want of time, and its
     * "failure" would say nothing about the server.
     */
    static final Duration MIN_PROBE_TIME = Duration.ofMillis(500);

    private final List<Source> sources;
    private final Set<SourceName> disabled;
    private final Prober prober;
    private final HttpServiceProber serviceProber;
    private final ExecutorService threads;

    /**
     * @param prober  probes, and checks every host found against the network policy; null for neither
     * @param threads runs sources and probes; interrupting a task cancels it
     */
    public Discovery(List<Source> sources, Set<SourceName> disabled, Prober prober, ExecutorService threads) {
        this(sources, disabled, prober, null, threads);
    }

    /** @param serviceProber probes contacts, calendars and JMAP endpoints; null for none */
    public Discovery(List<Source> sources, Set<SourceName> disabled, Prober prober, HttpServiceProber serviceProber,
                     ExecutorService threads) {
        this.sources = List.copyOf(sources);
        this.disabled = Set.copyOf(disabled);
        this.prober = prober;
        this.serviceProber = serviceProber;
        this.threads = threads;
    }

    public DiscoveryResult run(LookupContext ctx) {
        return run(ctx, true);
    }

    /** @param verify false to skip the probes of this lookup (the network-policy check of its hosts stays) */
    public DiscoveryResult run(LookupContext ctx, boolean verify) {
        return run(ctx, verify, Set.of(Service.MAIL));
    }

    /** @param services the services the lookup covers (mail is always among them) */
    public DiscoveryResult run(LookupContext ctx, boolean verify, Set<Service> services) {
        return new Run(ctx, verify, services).execute();
    }

    private sealed interface Event {
    }

    private record SourceDone(SourceName name, SourceOutcome outcome, long elapsedMs) implements Event {
    }

    private record ProbeDone(Endpoint endpoint, ProbeReport report) implements Event {
    }

    private record ServiceProbeDone(MergedService.Key key, ServiceProbeReport report) implements Event {
    }

    /** A host checked against the network policy: why it may not be dialled, or null when it may. */
    private record ScreenDone(String host, ProbeReport refusal) implements Event {
    }

    private record MxDone() implements Event {
    }

    /** The state of one lookup; touched only by the thread that calls {@link #execute()}. */
    private final class Run {
        final LookupContext ctx;
        final Set<Service> covered;
        /** The sources of the services this lookup covers. */
        final List<Source> runSources;
        final Prober lookupProber;
        final HttpServiceProber lookupServiceProber;
        /** Probes run in this lookup (else the hosts are only checked against the network policy). */
        final boolean verify;
        /** Contacts, calendars and JMAP endpoints are probed in this lookup. */
        final boolean verifyServices;
        final long start = System.nanoTime();
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final List<Future<?>> tasks = new ArrayList<>();
        final Map<SourceName, SourceReport> reports = new EnumMap<>(SourceName.class);
        final Map<SourceName, ClientConfig> providers = new EnumMap<>(SourceName.class);
        final Map<Endpoint, Merged> merged = new LinkedHashMap<>();
        final Map<MergedService.Key, MergedService> services = new LinkedHashMap<>();
        final Map<String, Integer> probesPerHost = new HashMap<>();
        /** Hosts checked against the network policy, to why they may not be dialled (null: they may). */
        final Map<String, ProbeReport> screened = new HashMap<>();
        final Set<String> screening = new HashSet<>();
        final List<String> warnings = new ArrayList<>();
        int running;
        int probesStarted;
        int serviceRunning;
        int serviceProbesStarted;
        /** The mail answer can no longer improve: no more mail probes start. */
        boolean mailSettled;
        boolean mxDone;
        /** The lookup is over: no new probes. */
        boolean stopping;
        boolean stoppedEarly;

        Run(LookupContext ctx, boolean verify, Set<Service> services) {
            this.ctx = ctx;
            this.covered = Set.copyOf(services);
            this.runSources = sources.stream().filter(s -> covered.contains(s.name().service())).toList();
            this.lookupProber = prober == null ? null : prober.using(ctx.dialer());
            this.lookupServiceProber = serviceProber == null ? null : serviceProber.using(ctx.dialer());
            this.verify = verify && lookupProber != null;
            this.verifyServices = verify && lookupServiceProber != null;
        }

        DiscoveryResult execute() {
            for (Source s : runSources) {
                if (disabled.contains(s.name())) {
                    reports.put(s.name(), new SourceReport(s.name(), SourceStatus.SKIPPED, 0, "switched off"));
                } else {
                    tasks.add(threads.submit(() -> runSource(s)));
                }
            }
            // The MX answer decides "domain-not-found" and "no-mail-service"; sources share it.
            tasks.add(threads.submit(() -> {
                try {
                    ctx.mx();
                } catch (DnsException ignored) {
                    // The MX source reports DNS failures; here it only means "unknown".
                }
                events.add(new MxDone());
            }));
            // Leave time to build the answer, so that it is delivered by the deadline, not just after.
            long twentieth = (ctx.deadline().nanoTime() - start) / 20;
            Deadline stopAt = new Deadline(ctx.deadline().nanoTime() - Math.min(ASSEMBLY_RESERVE.toNanos(), twentieth));
            try {
                while (!finished()) {
                    if (mxDone && !providerDbPending() && mailImpossible()) {
                        break;
                    }
                    if (verify && settled()) {
                        stoppedEarly = true;
                        break;
                    }
                    long left = stopAt.remainingMillis();
                    Event e = left <= 0 ? null : events.poll(left, TimeUnit.MILLISECONDS);
                    if (e == null) {
                        break;
                    }
                    handle(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // What arrived while deciding to stop still counts; what is cancelled now reports nothing.
            stopping = true;
            for (Event e; (e = events.poll()) != null; ) {
                handle(e);
            }
            tasks.forEach(t -> t.cancel(true));
            ctx.close();
            return result();
        }

        private void runSource(Source s) {
            long t0 = System.nanoTime();
            try {
                events.add(new SourceDone(s.name(), s.discover(ctx), millisSince(t0)));
            } catch (Throwable e) {
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                events.add(new SourceDone(s.name(), SourceOutcome.failed(why), millisSince(t0)));
            }
        }

        private void handle(Event event) {
            switch (event) {
                case MxDone m -> mxDone = true;
                case SourceDone d -> onSource(d);
                case ScreenDone d -> {
                    screening.remove(d.host());
                    screened.put(d.host(), d.refusal());
                    if (d.refusal() != null) {
                        merged.values().stream().filter(m -> m.endpoint.host().equals(d.host())).forEach(this::refuse);
                    }
                }
                case ServiceProbeDone p -> {
                    MergedService m = services.get(p.key());
                    m.probe = p.report();
                    m.probeState = Merged.ProbeState.DONE;
                    serviceRunning--;
                    startServiceProbes();
                }
                case ProbeDone p -> {
                    Merged m = merged.get(p.endpoint());
                    m.probe = p.report();
                    m.probeState = Merged.ProbeState.DONE;
                    running--;
                    probesPerHost.merge(p.endpoint().host(), -1, Integer::sum);
                    startProbes();
                }
            }
        }

        private void onSource(SourceDone d) {
            SourceOutcome r = d.outcome();
            SourceStatus status = switch (r) {
                case SourceOutcome.Found f -> SourceStatus.FOUND;
                case SourceOutcome.Empty e -> SourceStatus.EMPTY;
                case SourceOutcome.Failed f -> SourceStatus.FAILED;
                case SourceOutcome.TimedOut t -> SourceStatus.TIMEOUT;
            };
            if (status == SourceStatus.FAILED || status == SourceStatus.TIMEOUT) {
                log.debug("source {} for {}: {}", d.name().id(), ctx.domain(), r.detail());
            }
            reports.put(d.name(), new SourceReport(d.name(), status, d.elapsedMs(), r.detail()));
            r.warnings().forEach(w -> warnings.add(d.name().id() + ": " + w));
            if (r.provider() != null) {
                providers.put(d.name(), r.provider());
            }
            for (Candidate c : r.candidates()) {
                Merged m = merged.computeIfAbsent(c.endpoint(), k -> new Merged(k, merged.size()));
                m.add(c);
                if (c.security() == Security.PLAIN || lookupProber == null) {
                    continue;
                }
                screen(c.host());
                if (screened.get(c.host()) != null) {
                    refuse(m);
                } else if (verify && m.probeState == Merged.ProbeState.NOT_PROBED) {
                    m.probeState = Merged.ProbeState.QUEUED;
                }
            }
            for (ServiceCandidate c : r.services()) {
                if (!covered.contains(c.service())) {
                    continue;
                }
                MergedService m = services.computeIfAbsent(MergedService.Key.of(c), k -> new MergedService(k, services.size()));
                m.add(c);
                if (verifyServices && m.probeState == Merged.ProbeState.NOT_PROBED) {
                    m.probeState = Merged.ProbeState.QUEUED;
                }
            }
            startProbes();
            startServiceProbes();
        }

        /** Starts the best-ranked queued service probes, of services whose best endpoint is not settled yet. */
        private void startServiceProbes() {
            if (!verifyServices || stopping || ctx.deadline().remaining().compareTo(MIN_PROBE_TIME) < 0) {
                return;
            }
            while (serviceRunning < MAX_CONCURRENT_SERVICE_PROBES && serviceProbesStarted < MAX_SERVICE_PROBES) {
                MergedService next = services.values().stream()
                        .filter(m -> m.probeState == Merged.ProbeState.QUEUED && !bestVerifiedAndTrusted(m.key.service()))
                        .min(Ranking.SERVICE_ORDER)
                        .orElse(null);
                if (next == null) {
                    return;
                }
                next.probeState = Merged.ProbeState.RUNNING;
                serviceRunning++;
                serviceProbesStarted++;
                MergedService.Key key = next.key;
                tasks.add(threads.submit(() -> events.add(new ServiceProbeDone(key,
                        lookupServiceProber.probe(key.service(), key.url(), ctx.deadline())))));
            }
            if (serviceProbesStarted >= MAX_SERVICE_PROBES) {
                services.values().stream().filter(m -> m.probeState == Merged.ProbeState.QUEUED).forEach(m -> {
                    m.probeState = Merged.ProbeState.NOT_PROBED;
                    m.overProbeLimit = true;
                });
            }
        }

        private List<MergedService> endpointsOf(Service service) {
            return services.values().stream().filter(m -> m.key.service() == service).toList();
        }

        /** The service's best endpoint is verified and trusted: nothing still to come can beat it. */
        private boolean bestVerifiedAndTrusted(Service service) {
            return endpointsOf(service).stream().min(Ranking.SERVICE_ORDER)
                    .map(m -> m.verified() && m.trusted()).orElse(false);
        }

        private boolean allSourcesDone() {
            return reports.size() == runSources.size();
        }

        /**
         * Nothing still pending can improve the service's answer: its best endpoint, counting pending probes as
         * verified, is verified and trusted, or every source has answered and no probe of it is pending.
         */
        private boolean serviceSettled(Service service) {
            List<MergedService> of = endpointsOf(service);
            boolean pending = of.stream().anyMatch(MergedService::pending);
            if (allSourcesDone() && !pending) {
                return true;
            }
            return of.stream().min(Ranking.SERVICE_OPTIMISTIC).map(m -> m.verified() && m.trusted()).orElse(false);
        }

        /**
         * Checks a host against the network policy once per lookup (DNS only, no connection), so that a
         * setting that was never probed still says when a client must not be sent there.
         */
        private void screen(String host) {
            if (stopping || screened.containsKey(host) || screening.contains(host)
                    || screened.size() + screening.size() >= MAX_SCREENED_HOSTS) {
                return;
            }
            screening.add(host);
            tasks.add(threads.submit(() -> events.add(new ScreenDone(host, lookupProber.screen(host, ctx.deadline())))));
        }

        /** A setting on a host that may not be dialled: nothing to probe, and the check's reason is its report. */
        private void refuse(Merged m) {
            if (m.probeState == Merged.ProbeState.NOT_PROBED || m.probeState == Merged.ProbeState.QUEUED) {
                m.probe = screened.get(m.endpoint.host());
                m.probeState = Merged.ProbeState.DONE;
            }
        }

        /** Starts the best-ranked queued probes that the connection limits allow. */
        private void startProbes() {
            if (!verify || stopping || mailSettled || ctx.deadline().remaining().compareTo(MIN_PROBE_TIME) < 0) {
                return;
            }
            while (running < MAX_CONCURRENT_PROBES && probesStarted < MAX_PROBES) {
                Merged next = merged.values().stream()
                        .filter(m -> m.probeState == Merged.ProbeState.QUEUED)
                        .filter(m -> probesPerHost.getOrDefault(m.endpoint.host(), 0) < MAX_PROBES_PER_HOST)
                        .min(Ranking.ORDER)
                        .orElse(null);
                if (next == null) {
                    return;
                }
                next.probeState = Merged.ProbeState.RUNNING;
                running++;
                probesStarted++;
                probesPerHost.merge(next.endpoint.host(), 1, Integer::sum);
                Endpoint endpoint = next.endpoint;
                tasks.add(threads.submit(() -> events.add(new ProbeDone(endpoint, lookupProber.probe(endpoint, ctx.deadline())))));
            }
            // Over the cap: what is still queued will not be probed.
            if (probesStarted >= MAX_PROBES) {
                merged.values().stream().filter(m -> m.probeState == Merged.ProbeState.QUEUED).forEach(m -> {
                    m.probeState = Merged.ProbeState.NOT_PROBED;
                    m.overProbeLimit = true;
                });
            }
        }

        private boolean finished() {
            boolean probesPossible = ctx.deadline().remaining().compareTo(MIN_PROBE_TIME) >= 0;
            return mxDone && allSourcesDone() && running == 0 && serviceRunning == 0 && screening.isEmpty()
                    && (!probesPossible || (mailSettled
                            || merged.values().stream().noneMatch(m -> m.probeState == Merged.ProbeState.QUEUED))
                            && services.values().stream().noneMatch(m -> m.probeState == Merged.ProbeState.QUEUED
                                    && !bestVerifiedAndTrusted(m.key.service())));
        }

        /**
         * The provider database needs no network, so the verdict waits for it: a resolver that says NXDOMAIN
         * for everything (offline sandboxes, captive portals) must not hide a curated entry.
         */
        private boolean providerDbPending() {
            return !reports.containsKey(SourceName.PROVIDER_DB)
                    && runSources.stream().anyMatch(s -> s.name() == SourceName.PROVIDER_DB);
        }

        /** The domain does not exist or says it takes no mail (null MX), and no source knows better. */
        private boolean mailImpossible() {
            return merged.isEmpty() && (domainMissing() || nullMx());
        }

        /**
         * Both directions have a verified answer that no pending probe could outrank, and that is trusted or
         * came after every source answered: the rest of the lookup cannot improve the answer.
         */
        private boolean settled() {
            mailSettled |= settled(true) && settled(false);
            return mailSettled && covered.stream().filter(s -> s != Service.MAIL).allMatch(this::serviceSettled);
        }

        private boolean settled(boolean incoming) {
            return merged.values().stream()
                    .filter(m -> m.endpoint.protocol().isIncoming() == incoming)
                    .min(Ranking.OPTIMISTIC)
                    .map(m -> m.verified() && (m.trusted() || allSourcesDone()))
                    .orElse(false);
        }

        private DnsAnswer<MxRecord> mxAnswer() {
            if (!mxDone) {
                return null;
            }
            try {
                return ctx.mx();
            } catch (DnsException e) {
                return null;
            }
        }

        private boolean domainMissing() {
            DnsAnswer<MxRecord> mx = mxAnswer();
            return mx != null && mx.status() == DnsAnswer.Status.NXDOMAIN;
        }

        private boolean nullMx() {
            DnsAnswer<MxRecord> mx = mxAnswer();
            return mx != null && mx.records().size() == 1 && mx.records().get(0).isNullMx();
        }

        private DiscoveryResult result() {
            for (Source s : runSources) {
                reports.computeIfAbsent(s.name(), n -> stoppedEarly || mailImpossible()
                        ? new SourceReport(n, SourceStatus.SKIPPED, millisSince(start),
                                stoppedEarly ? "stopped: a verified answer was found first"
                                        : domainMissing() ? "stopped: the domain does not exist"
                                        : "stopped: the domain takes no mail")
                        : new SourceReport(n, SourceStatus.TIMEOUT, millisSince(start), "no answer before the deadline"));
            }
            if (lookupProber != null && !stoppedEarly) {
                // Unchecked is not allowed: a setting whose host was not checked in time is not for clients.
                merged.values().stream()
                        .filter(m -> m.probe == null && m.endpoint.security() != Security.PLAIN
                                && !screened.containsKey(m.endpoint.host()))
                        .forEach(m -> m.probe = notChecked(m.endpoint.host()));
            }
            List<Merged> shown = merged.values().stream()
                    .filter(m -> Ranking.shown(m, verify))
                    .sorted(Ranking.ORDER)
                    .toList();
            List<ServerSettings> incoming = new ArrayList<>();
            List<ServerSettings> outgoing = new ArrayList<>();
            for (Merged m : shown) {
                (m.endpoint.protocol().isIncoming() ? incoming : outgoing).add(settings(m));
                if (m.endpoint.security() == Security.PLAIN) {
                    warnings.add(m.endpoint + " sends passwords and mail unencrypted; use it only if nothing else works");
                }
                if (m.failed()) {
                    warnings.add(m.endpoint + (verify ? " failed verification: " : " may not be used: ") + m.probe.failure());
                }
            }
            // Scan limits: which ones the lookup met, so that a cut-short answer says so.
            ctx.dialer().limitsReached().forEach(w -> warnings.add("scan limit: " + w));
            if (merged.values().stream().anyMatch(m -> m.overProbeLimit)) {
                warnings.add("scan limit: the lookup made its " + MAX_PROBES + " probes; the rest were not probed");
            }
            List<ServiceSettings> shownServices = new ArrayList<>();
            for (MergedService m : services.values().stream().sorted(Ranking.SERVICE_ORDER).toList()) {
                shownServices.add(serviceSettings(m));
                if (m.failed()) {
                    warnings.add(m.key.service().id() + " " + m.key.url() + " failed verification: " + m.probe.failure());
                }
            }
            if (services.values().stream().anyMatch(m -> m.overProbeLimit)) {
                warnings.add("scan limit: the lookup made its " + MAX_SERVICE_PROBES
                        + " contacts, calendars and JMAP probes; the rest were not probed");
            }
            List<SourceReport> sourceReports = runSources.stream().map(s -> reports.get(s.name())).toList();
            return new DiscoveryResult(ctx.email().address(), ctx.domain(), provider(), incoming, outgoing,
                    of(shownServices, Service.CONTACTS), of(shownServices, Service.CALENDARS),
                    of(shownServices, Service.JMAP), sourceReports, warnings, millisSince(start),
                    error(incoming, outgoing));
        }

        private static List<ServiceSettings> of(List<ServiceSettings> all, Service service) {
            return all.stream().filter(s -> s.service() == service).toList();
        }

        private ServiceSettings serviceSettings(MergedService m) {
            ServiceCandidate c = m.primary();
            List<String> auth = c.auth();
            if (auth.isEmpty() && m.verified()) {
                auth = m.probe.authSchemes().stream().map(Discovery::authValue).filter(a -> a != null).toList();
            }
            String notProbed = null;
            if (m.probe == null) {
                notProbed = !verifyServices ? "verification is switched off"
                        : m.overProbeLimit ? "probe limit: a lookup makes at most " + MAX_SERVICE_PROBES
                                + " contacts, calendars and JMAP probes"
                        : bestVerifiedAndTrusted(m.key.service()) ? "not needed: a better verified answer was found first"
                        : m.probeState == Merged.ProbeState.RUNNING
                                ? "deadline: its probe had not finished when the lookup's time was up"
                                : "deadline: not reached before the lookup's time was up";
            }
            return new ServiceSettings(m.key.service(), m.key.url(), c.username(), c.usernameTemplate(), auth,
                    m.trusted(), m.verified(), List.copyOf(m.sources), m.probe, notProbed);
        }

        private static ProbeReport notChecked(String host) {
            return new ProbeReport(false, -1, null, null, null, null, null, null, false, null, List.of(), List.of(),
                    List.of(), "the addresses of " + host + " were not checked against the network policy before the lookup ended",
                    ProbeReport.FailureKind.REFUSED);
        }

        private ServerSettings settings(Merged m) {
            Candidate c = m.primary();
            // What the source said (it knows e.g. that only OAuth2 works), else what the server offered.
            List<String> auth = c.auth();
            if (auth.isEmpty() && m.verified()) {
                auth = m.probe.authMethods();
            }
            return new ServerSettings(m.endpoint.protocol(), m.endpoint.host(), m.endpoint.port(), m.endpoint.security(),
                    c.username(), usernameTemplate(c), auth, m.trusted(), m.verified(), List.copyOf(m.sources), m.probe,
                    notProbed(m));
        }

        /** The source's template, else the placeholder that a literal username of this address stands for. */
        private String usernameTemplate(Candidate c) {
            if (c.usernameTemplate() != null) {
                return c.usernameTemplate();
            }
            if (c.username().equals(ctx.email().address())) {
                return "%EMAILADDRESS%";
            }
            return c.username().equals(ctx.email().localPart()) ? "%EMAILLOCALPART%" : c.username();
        }

        /** Why a setting has no probe report, or null when it has one. */
        private String notProbed(Merged m) {
            if (m.probe != null) {
                return null;
            }
            if (!verify) {
                return "verification is switched off";
            }
            if (m.endpoint.security() == Security.PLAIN) {
                return "plain text is never probed: nothing seen over it could be verified";
            }
            if (m.overProbeLimit) {
                return "probe limit: a lookup makes at most " + MAX_PROBES + " probes";
            }
            if (stoppedEarly || mailSettled) {
                return "not needed: a better verified answer was found first";
            }
            return m.probeState == Merged.ProbeState.RUNNING
                    ? "deadline: its probe had not finished when the lookup's time was up"
                    : "deadline: not reached before the lookup's time was up";
        }

        private ProviderInfo provider() {
            // The most authoritative source that identified a provider names it.
            for (SourceName n : Ranking.AUTHORITY) {
                ClientConfig c = providers.get(n);
                if (c != null && c.id() != null) {
                    return new ProviderInfo(c.id(), c.name(), c.notes(), c.oauth2());
                }
            }
            return null;
        }

        private LookupError error(List<ServerSettings> incoming, List<ServerSettings> outgoing) {
            if (!incoming.isEmpty() || !outgoing.isEmpty()) {
                return null;
            }
            String d = ctx.domain();
            if (domainMissing()) {
                return new LookupError(LookupError.Code.DOMAIN_NOT_FOUND, "the domain " + d + " does not exist");
            }
            if (nullMx()) {
                return new LookupError(LookupError.Code.NO_MAIL_SERVICE,
                        d + " publishes a null MX record: it does not receive email");
            }
            DnsException dnsFailure = ctx.dnsFailure();
            if (dnsFailure != null) {
                return new LookupError(LookupError.Code.DNS_FAILURE,
                        "the DNS resolver could not answer for " + d + ": " + dnsFailure.getMessage());
            }
            DnsAnswer<MxRecord> mx = mxAnswer();
            boolean timedOut = reports.values().stream().anyMatch(r -> r.status() == SourceStatus.TIMEOUT);
            if (mx != null && mx.isEmpty() && !timedOut) {
                return new LookupError(LookupError.Code.NO_MAIL_SERVICE,
                        d + " has no MX records and no source found mail settings for it");
            }
            if (timedOut) {
                return new LookupError(LookupError.Code.TIMEOUT,
                        "no settings found for " + d + " before the deadline");
            }
            return new LookupError(LookupError.Code.NOT_FOUND, "no source found mail settings for " + d);
        }
    }

    /** An HTTP authentication scheme in config-v1.1 words, or null for one without a config-v1.1 word. */
    private static String authValue(String scheme) {
        return switch (scheme) {
            case "Basic" -> "http-basic";
            case "Digest" -> "http-digest";
            case "Bearer" -> "OAuth2";
            default -> null;
        };
    }

    private static long millisSince(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }
}
