package org.mailsetup;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.NoClientAccess;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.discovery.Discovery;
import org.mailsetup.internal.discovery.DiscoverySettings;
import org.mailsetup.internal.discovery.LookupContext;
import org.mailsetup.internal.discovery.Source;
import org.mailsetup.internal.dns.CachingDnsClient;
import org.mailsetup.internal.dns.DnsJavaClient;
import org.mailsetup.internal.http.HttpFetcher;
import org.mailsetup.internal.http.OkHttpFetcher;
import org.mailsetup.internal.login.AccountCheck;
import org.mailsetup.internal.login.LoginChecker;
import org.mailsetup.internal.httpprobe.HttpServiceProber;
import org.mailsetup.internal.net.Dialer;
import org.mailsetup.internal.net.NetworkPolicy;
import org.mailsetup.internal.net.TrustStores;
import org.mailsetup.internal.probe.Prober;
import org.mailsetup.internal.probe.SocketProber;
import org.mailsetup.internal.source.autoconfig.AutoconfigSource;
import org.mailsetup.internal.source.autodiscover.AutodiscoverSource;
import org.mailsetup.internal.source.dav.DavSource;
import org.mailsetup.internal.source.guess.GuessSource;
import org.mailsetup.internal.source.ispdb.IspdbSource;
import org.mailsetup.internal.source.jmap.JmapSource;
import org.mailsetup.internal.source.mx.MxSource;
import org.mailsetup.internal.source.pacc.PaccSource;
import org.mailsetup.internal.source.providerdb.ProviderDbSource;
import org.mailsetup.internal.source.srv.SrvSource;

/**
 * Finds the IMAP, POP3 and SMTP settings for email addresses. Build one with {@link #builder()} and
 * share it: it is thread-safe, caches results and holds no global state.
 *
 * <pre>{@code
 * MailSetup mailSetup = MailSetup.builder().timeout(Duration.ofSeconds(5)).build();
 * DiscoveryResult r = mailSetup.lookupBlocking("alice@example.org");
 * r.bestIncoming().ifPresent(s -> System.out.println(s.host() + ":" + s.port()));
 * }</pre>
 */
public final class MailSetup implements AutoCloseable {

    /** How long a {@code dns-failure} answer is kept at most. */
    static final Duration DNS_FAILURE_CACHE_TIME = Duration.ofSeconds(5);

    private final Discovery discovery;
    private final Prober prober;
    private final LoginChecker loginChecker;
    private final AccountCheck accountCheck;
    private final CachingDnsClient dns;
    private final Dialer dialer;
    private final HttpFetcher http;
    private final ProviderIndex providers;
    private final boolean providerDbOn;
    private final DiscoverySettings settings;
    private final LookupOptions defaults;
    private final Duration cacheTtl;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * Each lookup's event loop (which delivers its answer at the deadline) runs on a platform thread of its own,
     * which the operating system wakes on time. On a virtual thread a due lookup waited for a carrier behind
     * every runnable source and probe of the other lookups: seconds late under 1,000 lookups at once.
     */
    private final ExecutorService lookups =
            Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon(true).name("lookup-", 0).factory());
    private final AsyncCache<String, Cached> cache;
    private final SharedCache shared;

    /** A result and how long it is cached. */
    private record Cached(DiscoveryResult result, Duration lifetime) {
    }

    private MailSetup(Builder b) {
        NetworkPolicy policy = NetworkPolicy.allowing(b.allowedNetworks);
        X509TrustManager trust = trustManager(b);
        this.dns = new CachingDnsClient(b.dnsServer == null ? DnsJavaClient.system() : DnsJavaClient.using(b.dnsServer),
                threads);
        this.dialer = Dialer.create(policy, dns);
        this.http = OkHttpFetcher.create(dialer, trust);
        this.providers = b.providers;
        this.providerDbOn = !b.disabled.contains(SourceName.PROVIDER_DB);
        this.settings = new DiscoverySettings(b.ispdbUrl, b.httpPort, b.httpsPort);
        this.defaults = new LookupOptions(b.timeout, b.verify, b.services);
        List<Source> sources = List.of(new ProviderDbSource(), new PaccSource(), new AutoconfigSource(),
                new IspdbSource(), new SrvSource(), new MxSource(), new AutodiscoverSource(), new GuessSource(),
                DavSource.caldav(), DavSource.carddav(), new JmapSource());
        SocketProber socketProber = SocketProber.create(dialer, trust);
        this.prober = socketProber;
        this.loginChecker = new LoginChecker(socketProber, dialer);
        this.accountCheck = new AccountCheck(loginChecker, threads);
        this.discovery = new Discovery(sources, b.disabled, prober, new HttpServiceProber(http), threads);
        this.cacheTtl = b.cacheTtl;
        this.shared = b.sharedCache;
        this.cache = Caffeine.newBuilder()
                .maximumSize(b.cacheSize)
                .expireAfter(Expiry.<String, Cached>creating((key, cached) -> cached.lifetime()))
                // Maintenance runs on the calling thread, so it never meets a closed executor.
                .executor(Runnable::run)
                .buildAsync();
    }

    private static X509TrustManager trustManager(Builder b) {
        List<X509Certificate> extra = new ArrayList<>(b.extraCas);
        if (b.caFile != null) {
            try {
                extra.addAll(TrustStores.readCertificates(b.caFile));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot use CA file " + b.caFile + ": " + e.getMessage(), e);
            }
        }
        return extra.isEmpty() ? TrustStores.defaults() : TrustStores.withExtraCas(extra);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Looks up settings for an address with the builder's options. Never completes exceptionally for bad input
     * or network trouble: those are {@link DiscoveryResult#error()}s. Concurrent lookups of the same address
     * (and options) share one discovery.
     */
    public CompletableFuture<DiscoveryResult> lookup(String email) {
        return lookup(email, defaults);
    }

    /** {@link #lookup(String)} with options for this call (see {@link #defaults()}). */
    public CompletableFuture<DiscoveryResult> lookup(String email, LookupOptions options) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(email);
        } catch (InvalidEmailException e) {
            return CompletableFuture.completedFuture(invalid(email, e.getMessage()));
        }
        return lookup(address, options);
    }

    /** {@link #lookup(String, LookupOptions)} for an address already parsed. */
    public CompletableFuture<DiscoveryResult> lookup(EmailAddress address, LookupOptions options) {
        Objects.requireNonNull(options, "options");
        String key = address.address() + " " + options.timeout().toMillis() + (options.verify() ? "" : " unverified")
                + " " + servicesKey(options);
        CompletableFuture<Cached> entry = cache.get(key, (k, executor) -> {
            // The deadline starts when the caller asks, not when a thread picks the work up.
            Deadline deadline = Deadline.after(options.timeout());
            return shared == null
                    ? CompletableFuture.supplyAsync(() -> discover(address, deadline, options), lookups)
                    : sharedOrDiscover(address, options, deadline);
        });
        return entry.thenApply(c -> {
            if (c.lifetime().isZero()) {
                // Caffeine applies a zero lifetime in a completion callback that can run after the
                // caller wakes; drop the entry first so that asking again really looks again.
                cache.asMap().remove(key, entry);
            }
            return c.result();
        });
    }

    /** The lookup's services in a stable order, for cache keys: {@code calendars,contacts,mail}. */
    static String servicesKey(LookupOptions options) {
        return options.services().stream().map(Service::id).sorted().collect(java.util.stream.Collectors.joining(","));
    }

    /** {@link #lookup(String)}, waiting for the answer (at most the configured timeout, plus a little). */
    public DiscoveryResult lookupBlocking(String email) {
        return join(lookup(email));
    }

    private Cached discover(EmailAddress address, Deadline deadline, LookupOptions options) {
        ClientConfig entry = providerDbOn ? providers.byDomain(address.domain()).orElse(null) : null;
        if (entry != null && entry.noClientAccess() != null) {
            DiscoveryResult answer = noClientAccess(address, entry, options);
            return new Cached(answer, cacheTime(answer, -1));
        }
        LookupContext ctx = new LookupContext(address, deadline, dialer, http, providers, settings);
        DiscoveryResult result = discovery.run(ctx, options.verify(), options.services());
        return new Cached(result, cacheTime(result, ctx.minTtlSeconds()));
    }

    /**
     * Asks the shared level first; discovers (within what is left of the deadline) when it has nothing,
     * and stores the result there. Waiting on another instance takes at most half the deadline.
     */
    private CompletableFuture<Cached> sharedOrDiscover(EmailAddress address, LookupOptions options, Deadline deadline) {
        Duration maxWait = options.timeout().dividedBy(2);
        return shared.find(address, options, maxWait)
                // A shared level that breaks its promise to answer in time is a miss.
                .completeOnTimeout(Optional.empty(), maxWait.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> Optional.empty())
                .thenApplyAsync(hit -> {
                    if (hit.isPresent()) {
                        return new Cached(hit.get().result(), min(hit.get().remaining(), cacheTtl));
                    }
                    Cached c = discover(address, deadline, options);
                    shared.store(address, options, c.result(), c.lifetime());
                    return c;
                }, lookups);
    }

    /** The smallest DNS TTL a result depended on (-1 if none) bounds how long it is cached. */
    private Duration cacheTime(DiscoveryResult result, long dnsTtlSeconds) {
        LookupError error = result.error();
        if (error != null && error.code() == LookupError.Code.TIMEOUT) {
            return Duration.ZERO;
        }
        if (error != null && error.code() == LookupError.Code.DNS_FAILURE) {
            // A resolver having trouble may be fine a moment later; spare it a burst of repeats, no more.
            return min(cacheTtl, DNS_FAILURE_CACHE_TIME);
        }
        Duration d = error == null ? cacheTtl : min(cacheTtl, Duration.ofMinutes(5));
        // A DNS TTL of 0 would disable caching for popular domains; a minute is the floor.
        return dnsTtlSeconds < 0 ? d : min(d, Duration.ofSeconds(Math.max(60, dnsTtlSeconds)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The provider's own word that mail apps cannot connect: said at once, nothing probed. */
    private static DiscoveryResult noClientAccess(EmailAddress address, ClientConfig entry, LookupOptions options) {
        NoClientAccess n = entry.noClientAccess();
        List<SourceReport> sources = new ArrayList<>();
        for (SourceName s : SourceName.values()) {
            if (!options.covers(s.service())) {
                continue;
            }
            sources.add(s == SourceName.PROVIDER_DB
                    ? new SourceReport(s, SourceStatus.FOUND, 0, "entry '" + entry.id() + "': no mail-client access")
                    : new SourceReport(s, SourceStatus.SKIPPED, 0, "not needed: the provider offers no mail-client access"));
        }
        return new DiscoveryResult(address.address(), address.domain(),
                new ProviderInfo(entry.id(), entry.name(), entry.notes(), entry.oauth2()), List.of(), List.of(), sources,
                List.of(), 0, new LookupError(LookupError.Code.NO_CLIENT_ACCESS, n.reason(), n.url(), n.bridge()));
    }

    private static DiscoveryResult invalid(String input, String message) {
        return new DiscoveryResult(input == null ? "" : input, null, null, List.of(), List.of(), List.of(), List.of(),
                0, new LookupError(LookupError.Code.INVALID_EMAIL, message));
    }

    /**
     * Checks one server setting now, the way lookups verify what they find: TLS or a real STARTTLS upgrade,
     * certificate chain and host name, greeting and capabilities. Never sends a password. Takes at most the
     * lookup timeout, and is subject to the same network policy. Useful to re-check settings saved earlier.
     */
    public ProbeReport probe(Endpoint endpoint) {
        return prober.probe(endpoint, Deadline.after(defaults.timeout()));
    }

    /**
     * {@link #probe(Endpoint)} for an endpoint given by its parts.
     *
     * @throws IllegalArgumentException when the host or port is not valid (see {@link Endpoint})
     */
    public ProbeReport probe(Protocol protocol, String host, int port, Security security) {
        return probe(new Endpoint(protocol, host, port, security));
    }

    /**
     * Checks a host name (or IP address) against the network policy the way lookups do, without connecting:
     * resolves it through the configured DNS and returns why no address of it may be dialled ({@code REFUSED},
     * or {@code CONCLUSIVE} when the name does not exist), or empty when one may or DNS could not tell.
     * Blocks for at most the lookup timeout.
     *
     * @throws IllegalArgumentException when the host is not valid (see {@link Endpoint})
     */
    public Optional<ProbeReport> checkAddresses(String host) {
        String valid = new Endpoint(Protocol.IMAP, host, Protocol.IMAP.tlsPort(), Security.TLS).host();
        return Optional.ofNullable(prober.screen(valid, Deadline.after(defaults.timeout())));
    }

    /**
     * Signs in to one server to see whether the credentials work, and says why not ({@link LoginReport#outcome()}).
     * Connects as {@link #probe(Endpoint)} does (the same network policy, TLS or a real STARTTLS upgrade with the
     * certificate and host name checked) and sends the credential only over that validated channel, or over plain
     * text when {@link LoginOptions#allowPlaintext()} says so; one connection, one attempt, then LOGOUT/QUIT.
     * The credential's secret is zeroed when the check ends; nothing of it is logged, cached or reported. Never
     * completes exceptionally for what the server or the network does.
     *
     * @throws IllegalArgumentException when the credentials name no username (only {@link #lookupAndCheck} can
     *                                  take it from an answer)
     */
    public CompletableFuture<LoginReport> checkLogin(Endpoint endpoint, Credentials credentials, LoginOptions options) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(options, "options");
        if (credentials.username() == null) {
            credentials.close();
            throw new IllegalArgumentException("checkLogin needs a username in the credentials");
        }
        Deadline deadline = Deadline.after(options.timeout());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return loginChecker.check(endpoint, credentials.username(), credentials, options, null, deadline);
            } finally {
                credentials.close();
            }
        }, threads);
    }

    /** {@link #checkLogin}, waiting for the report (at most the option's timeout, plus a little). */
    public LoginReport checkLoginBlocking(Endpoint endpoint, Credentials credentials, LoginOptions options) {
        return join(checkLogin(endpoint, credentials, options));
    }

    /** {@link #lookupAndCheck(String, Credentials, LoginOptions)} with {@link LoginOptions#DEFAULTS}. */
    public CompletableFuture<LoginCheck> lookupAndCheck(String email, Credentials credentials) {
        return lookupAndCheck(email, credentials, LoginOptions.DEFAULTS);
    }

    /**
     * Looks the address up (verification on), then signs in to the best verified incoming and the best verified
     * outgoing server at the same time ({@link #checkLogin} for each). A direction falls back to its next verified
     * server only when the failure was the server's (TLS, network, time-out, no fitting mechanism), never once the
     * credential was refused. Without a username in the credentials, each server's username from the answer is
     * used; if that is refused and the answer used {@code %EMAILADDRESS%} or {@code %EMAILLOCALPART%}, the other
     * form is tried once, and the report says so. A refusal at a provider whose entry has a note about it (app
     * passwords, enabling IMAP) carries that note as {@link LoginReport#help()}. The secret is zeroed at the end;
     * {@code options.timeout()} bounds the checks after the lookup, {@code allowPlaintext} is ignored (only
     * verified servers are checked).
     */
    public CompletableFuture<LoginCheck> lookupAndCheck(String email, Credentials credentials, LoginOptions options) {
        Objects.requireNonNull(options, "options");
        EmailAddress address;
        try {
            address = EmailAddress.parse(email);
        } catch (InvalidEmailException e) {
            credentials.close();
            return CompletableFuture.completedFuture(new LoginCheck(invalid(email, e.getMessage()), null, null));
        }
        LoginOptions tlsOnly = options.withAllowPlaintext(false);
        return lookup(address, defaults.withVerify(true))
                .thenApplyAsync(r -> accountCheck.run(r, address, credentials, tlsOnly), threads)
                .whenComplete((r, e) -> credentials.close());
    }

    /** {@link #lookupAndCheck(String, Credentials)}, waiting for the answer. */
    public LoginCheck lookupAndCheckBlocking(String email, Credentials credentials) {
        return join(lookupAndCheck(email, credentials));
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The lookup timeout of the builder: what a lookup without options of its own is held to. */
    public Duration timeout() {
        return defaults.timeout();
    }

    /** The builder's options, which {@link #lookup(String)} uses; a starting point for per-call options. */
    public LookupOptions defaults() {
        return defaults;
    }

    /** Forgets cached results and remembered DNS answers. */
    public void clearCache() {
        cache.synchronous().invalidateAll();
        dns.clear();
    }

    @Override
    public void close() {
        lookups.shutdownNow();
        threads.shutdownNow();
    }

    /** Options for a {@link MailSetup}. Every option has a safe default. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(6);
        private InetSocketAddress dnsServer;
        private URI ispdbUrl = DiscoverySettings.DEFAULT_ISPDB_URL;
        private final List<Cidr> allowedNetworks = new ArrayList<>();
        private Path caFile;
        private final List<X509Certificate> extraCas = new ArrayList<>();
        private final Set<SourceName> disabled = EnumSet.noneOf(SourceName.class);
        private boolean verify = true;
        private Set<Service> services = Set.of(Service.MAIL);
        private ProviderIndex providers = ProviderIndex.empty();
        private long cacheSize = 10_000;
        private Duration cacheTtl = Duration.ofMinutes(30);
        private SharedCache sharedCache;
        private int httpPort = 80;
        private int httpsPort = 443;

        private Builder() {
        }

        /** The deadline for a whole lookup, verification included (default 6 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /** The recursive DNS resolver to use (default: the system's). It may be on any address. */
        public Builder dnsServer(InetSocketAddress server) {
            this.dnsServer = Objects.requireNonNull(server);
            return this;
        }

        /** {@code HOST} or {@code HOST:PORT} ({@code [v6]:PORT} for IPv6); port 53 by default. */
        public Builder dnsServer(String hostAndPort) {
            com.google.common.net.HostAndPort hp = com.google.common.net.HostAndPort.fromString(hostAndPort)
                    .withDefaultPort(53);
            return dnsServer(new InetSocketAddress(hp.getHost(), hp.getPort()));
        }

        /** Base URL of the online ISPDB; the email domain is appended to it. */
        public Builder ispdbUrl(URI url) {
            String s = url.toString();
            this.ispdbUrl = s.endsWith("/") ? url : URI.create(s + "/");
            return this;
        }

        /**
         * Allows connections to a network that the policy refuses by default (loopback, private ranges, ...),
         * in CIDR notation, e.g. {@code 10.1.0.0/16}. Repeatable.
         */
        public Builder allowNetwork(String cidr) {
            this.allowedNetworks.add(Cidr.parse(cidr));
            return this;
        }

        /** Trusts the CA certificates in this PEM file in addition to the JVM's defaults. */
        public Builder caFile(Path pemFile) {
            this.caFile = pemFile;
            return this;
        }

        /** Trusts these CA certificates in addition to the JVM's defaults. */
        public Builder trustCertificates(List<X509Certificate> cas) {
            this.extraCas.addAll(cas);
            return this;
        }

        /** Switches sources off. */
        public Builder disable(SourceName... sources) {
            this.disabled.addAll(List.of(sources));
            return this;
        }

        /**
         * Whether lookups probe servers (default true; per call: {@link LookupOptions}). Without it, results are
         * marked unverified.
         */
        public Builder verify(boolean verify) {
            this.verify = verify;
            return this;
        }

        /**
         * The services lookups cover (default mail only; per call: {@link LookupOptions#withServices}); mail is
         * always among them. Contacts, calendars and JMAP cost extra DNS questions and HTTPS requests, and most
         * callers want mail only, so they are asked for.
         */
        public Builder services(Service... services) {
            this.services = Set.of(services);
            return this;
        }

        /** The provider database to consult (e.g. {@code ProviderDatabase.bundled()} from provider-db). */
        public Builder providers(ProviderIndex providers) {
            this.providers = Objects.requireNonNull(providers);
            return this;
        }

        /** How many results to cache, and for how long at most (DNS TTLs shorten it). Size 0 disables caching. */
        public Builder cache(long maximumSize, Duration maximumAge) {
            this.cacheSize = maximumSize;
            this.cacheTtl = maximumAge;
            return this;
        }

        /**
         * A second cache level shared with other instances (e.g. through Redis), asked on a miss before
         * discovering; null (the default) for none.
         */
        public Builder sharedCache(SharedCache sharedCache) {
            this.sharedCache = sharedCache;
            return this;
        }

        /** Ports for http:// and https:// fetches (80 and 443). Other values are for tests and labs only. */
        public Builder webPorts(int httpPort, int httpsPort) {
            this.httpPort = httpPort;
            this.httpsPort = httpsPort;
            return this;
        }

        public MailSetup build() {
            return new MailSetup(this);
        }
    }
}
