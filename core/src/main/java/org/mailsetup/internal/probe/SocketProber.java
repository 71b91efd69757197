package org.mailsetup.internal.probe;

import com.google.common.net.InetAddresses;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;
import org.mailsetup.Endpoint;
import org.mailsetup.ProbeReport;
import org.mailsetup.ProbeReport.FailureKind;
import org.mailsetup.Protocol;
import org.mailsetup.Security;
import org.mailsetup.internal.Deadline;
import org.mailsetup.internal.net.BlockedAddressException;
import org.mailsetup.internal.net.Dialer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a server setting over a real socket: resolves the host and connects through the {@link Dialer}
 * (so only to addresses the network policy allows), does implicit TLS or a real STARTTLS upgrade with
 * certificate and host-name validation (JSSE, TLS 1.2+), reads the greeting and the capabilities
 * (again after STARTTLS) and says goodbye. Never authenticates. Blocking; run it on a thread that may
 * block for up to the deadline.
 */
public final class SocketProber implements Prober {

    private static final Logger log = LoggerFactory.getLogger(SocketProber.class);

    /** One unreachable address must leave time for the next one and for the conversation. */
    static final Duration MAX_CONNECT = Duration.ofSeconds(3);
    /**
     * How long a server may take to answer completely: its TLS handshake (implicit TLS, or after STARTTLS), its
     * greeting (counted from the connection) and each answer to a command. Real servers greet within one or two
     * round trips (tens of milliseconds on the e2e servers, 2 RTT behind the latency lab's 50 ms); three seconds
     * covers slow links, while a tarpit, a dead TLS terminator or a server trickling bytes no longer holds its
     * candidate (and with it the answer) until the lookup's deadline.
     */
    static final Duration ANSWER_TIME = Duration.ofSeconds(3);
    /** Waiting for the answer to QUIT/LOGOUT is courtesy, not evidence. */
    private static final Duration GOODBYE = Duration.ofMillis(300);
    private static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final Dialer dialer;
    private final X509ExtendedTrustManager trust;

    private SocketProber(Dialer dialer, X509ExtendedTrustManager trust) {
        this.dialer = dialer;
        this.trust = trust;
    }

    /**
     * @param dialer resolves the host and opens the connection
     * @param trust  decides which server certificates are trusted (JVM defaults plus configured CAs); the
     *               host-name check is added here
     */
    public static SocketProber create(Dialer dialer, X509TrustManager trust) {
        return new SocketProber(Objects.requireNonNull(dialer, "dialer"),
                RecordingTrustManager.extended(Objects.requireNonNull(trust, "trust")));
    }

    /** This prober resolving and connecting through the given dialer (a lookup's, with its pinned addresses). */
    @Override
    public SocketProber using(Dialer lookupDialer) {
        return new SocketProber(lookupDialer, trust);
    }

    @Override
    public ProbeReport probe(Endpoint target, Deadline deadline) {
        Attempt a = new Attempt(target, deadline, false, null);
        a.establish();
        ProbeReport report = a.report();
        if (a.finished) {
            a.goodbyeInBackground();
        }
        log.debug("probe {}: ok={} failure={}", target, report.ok(), report.failure());
        return report;
    }

    /**
     * Opens the conversation a probe has, and keeps it open for the caller (a login check): the same
     * connection through the dialer, the same TLS or STARTTLS upgrade and validation, greeting and
     * capabilities. The session reports how it failed when it could not be opened.
     *
     * @param allowPlain go on over a {@link Security#PLAIN} connection instead of failing
     * @param address    the address to dial (the one a lookup's probe verified), or null to resolve the host;
     *                   the network policy applies either way
     */
    public MailSession open(Endpoint target, Deadline deadline, boolean allowPlain, InetAddress address) {
        Attempt a = new Attempt(target, deadline, allowPlain, address);
        a.establish();
        ProbeReport report = a.report();
        boolean open = a.finished && report.failure() == null;
        if (a.finished && !open) {
            a.goodbyeInBackground();
        }
        if (open) {
            a.conn.answersUntilDeadline();
        }
        return new MailSession(target.protocol(), report, open ? a.conn : null, a.dialect, a.stage, a.timedOut,
                a::goodbyeInBackground);
    }

    @Override
    public ProbeReport screen(String host, Deadline deadline) {
        try {
            resolve(host, deadline);
            return null;
        } catch (ProbeFailure f) {
            return f.kind() == FailureKind.INCONCLUSIVE ? null : new ProbeReport(false, -1, null, null, null, null,
                    null, null, false, null, List.of(), List.of(), List.of(), f.reason(), f.kind());
        }
    }

    /** The addresses of a host that the policy lets us dial; a failure says what it tells about the host. */
    private List<InetAddress> resolve(String host, Deadline deadline) throws ProbeFailure {
        try {
            return dialer.resolve(host, deadline);
        } catch (BlockedAddressException e) {
            throw new ProbeFailure(e.getMessage(), FailureKind.REFUSED);
        } catch (UnknownHostException e) {
            throw new ProbeFailure(e.getMessage());
        } catch (IOException e) {
            throw ProbeFailure.inconclusive(e.getMessage());
        }
    }

    /** One probe's state, collected as it goes so that a failure still reports what was seen. */
    private final class Attempt {
        private final Endpoint target;
        private final Deadline deadline;
        private final boolean allowPlain;
        private final InetAddress pinned;
        private final String host;
        private final Dialect dialect;
        /** Where the attempt is, so that a failure says whether the network, TLS or the server failed. */
        private MailSession.Stage stage = MailSession.Stage.CONNECT;
        private boolean timedOut;
        private MailConnection conn;
        private long connectStartNanos;
        private String address;
        private long rttMs = -1;
        private String tlsVersion;
        private String cipherSuite;
        private X509Certificate leaf;
        private boolean certificateValid;
        private String greeting;
        private List<String> capabilities = List.of();
        private List<String> sasl = List.of();
        private String failure;
        private FailureKind failureKind;
        /** Every step ran; the connection is still open for the goodbye. */
        private boolean finished;

        Attempt(Endpoint target, Deadline deadline, boolean allowPlain, InetAddress pinned) {
            this.target = target;
            this.deadline = deadline;
            this.allowPlain = allowPlain;
            this.pinned = pinned;
            this.host = target.host();
            this.dialect = Dialect.of(target.protocol());
        }

        /** Runs every step; afterwards either {@link #finished} or failed, with the connection closed. */
        void establish() {
            try {
                run();
            } catch (ProbeFailure f) {
                timedOut = f.timedOut();
                fail(f.reason(), f.kind());
            } catch (IOException e) {
                fail("connection failed: " + e.getMessage(), FailureKind.INCONCLUSIVE);
            } catch (RuntimeException e) {
                log.warn("probe of {} failed unexpectedly", target, e);
                fail("internal error: " + e, FailureKind.INCONCLUSIVE);
            } finally {
                if (!finished) {
                    close();
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                // Whatever the I/O layer made of the interrupt, the caller cancelled us.
                fail("probe cancelled", FailureKind.INCONCLUSIVE);
                finished = false;
                close();
            }
        }

        /** The polite goodbye must not cost the caller another round trip. */
        void goodbyeInBackground() {
            Thread.ofVirtual().name("probe-goodbye").start(() -> {
                sayGoodbye();
                close();
            });
        }

        void run() throws ProbeFailure, IOException {
            conn = new MailConnection(connect(pinned != null ? List.of(pinned) : resolve(host, deadline)), deadline,
                    ANSWER_TIME);
            switch (target.security()) {
                case TLS -> {
                    // One budget for the handshake and the greeting after it, as for a greeting alone.
                    stage = MailSession.Stage.TLS;
                    handshake(false);
                    stage = MailSession.Stage.CONVERSATION;
                    readGreeting();
                    record(dialect.capabilities(conn));
                }
                case STARTTLS -> {
                    stage = MailSession.Stage.CONVERSATION;
                    readGreeting();
                    Dialect.Capabilities before = dialect.capabilities(conn);
                    record(before);
                    stage = MailSession.Stage.TLS;
                    if (!before.startTls()) {
                        throw new ProbeFailure("server does not offer STARTTLS"
                                + (target.protocol() == Protocol.POP3 ? " (no STLS in CAPA)" : ""));
                    }
                    dialect.startTls(conn);
                    if (conn.hasUnreadInput()) {
                        throw new ProbeFailure("STARTTLS injection: the server sent data after its STARTTLS "
                                + "answer, before the TLS handshake");
                    }
                    conn.awaitAnswer();
                    handshake(true);
                    stage = MailSession.Stage.CONVERSATION;
                    record(dialect.capabilities(conn));
                }
                case PLAIN -> {
                    stage = MailSession.Stage.CONVERSATION;
                    readGreeting();
                    record(dialect.capabilities(conn));
                    if (!allowPlain) {
                        fail("no TLS: plain text is not safe", FailureKind.CONCLUSIVE);
                    }
                }
            }
            finished = true;
        }

        private Socket connect(List<InetAddress> addresses) throws ProbeFailure {
            Set<String> reasons = new LinkedHashSet<>();
            boolean timedOut = false;
            for (InetAddress a : addresses) {
                if (deadline.expired()) {
                    reasons.add("no time left to connect");
                    timedOut = true;
                    break;
                }
                String where = InetAddresses.toUriString(a) + ":" + target.port();
                Duration timeout = deadline.cap(MAX_CONNECT);
                connectStartNanos = System.nanoTime();
                try {
                    Socket s = dialer.connect(a, target.port(), timeout, host);
                    address = InetAddresses.toAddrString(s.getInetAddress());
                    return s;
                } catch (BlockedAddressException e) {
                    throw new ProbeFailure(e.getMessage(), FailureKind.REFUSED);
                } catch (ConnectException e) {
                    reasons.add("connection refused (" + where + ")");
                } catch (SocketTimeoutException e) {
                    reasons.add("connect timeout after " + timeout.toMillis() + " ms (" + where + ")");
                    timedOut = true;
                } catch (NoRouteToHostException e) {
                    reasons.add("no route to host (" + where + ")");
                } catch (IOException e) {
                    reasons.add("could not connect to " + where + ": " + e.getMessage());
                }
            }
            String all = String.join("; ", reasons);
            throw timedOut ? ProbeFailure.timeout(all) : ProbeFailure.inconclusive(all);
        }

        /** Reads the greeting, which must have come within the answer time of connecting. */
        private void readGreeting() throws ProbeFailure, IOException {
            try {
                greeting = Dialect.clip(dialect.greeting(conn));
            } catch (ProbeFailure f) {
                if (f.reason().startsWith("timed out")) {
                    long waited = (System.nanoTime() - connectStartNanos) / 1_000_000;
                    if (conn.bytesReceived() > 0) {
                        throw ProbeFailure.timeout("greeting timeout: incomplete greeting after " + waited + " ms");
                    }
                    throw ProbeFailure.timeout(tlsVersion == null
                            ? "greeting timeout: server accepted TCP but never spoke (" + waited + " ms)"
                            : "greeting timeout: no greeting within " + waited + " ms after the TLS handshake");
                }
                throw f;
            }
            rttMs = (System.nanoTime() - connectStartNanos) / 1_000_000;
        }

        private void record(Dialect.Capabilities caps) {
            capabilities = caps.all();
            sasl = caps.saslMechanisms();
        }

        /** The TLS handshake, which must be complete within the connection's answer time. */
        private void handshake(boolean afterStartTls) throws ProbeFailure, IOException {
            String when = afterStartTls ? "after STARTTLS: " : "";
            RecordingTrustManager recorder = new RecordingTrustManager(trust, host);
            SSLSocket ssl;
            try {
                // One context per probe: no session resumption, so every probe sees and checks the chain.
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {recorder}, null);
                ssl = (SSLSocket) ctx.getSocketFactory().createSocket(conn.socket(), host, target.port(), true);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JSSE cannot make a TLS context", e);
            }
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setProtocols(TLS_PROTOCOLS.stream()
                    .filter(List.of(ssl.getSupportedProtocols())::contains).toArray(String[]::new));
            if (!InetAddresses.isInetAddress(host)) {
                try {
                    params.setServerNames(List.of(new SNIHostName(host)));
                } catch (IllegalArgumentException e) {
                    log.debug("{}: no SNI, {} is not a valid SNI host name", target, host);
                }
            }
            ssl.setSSLParameters(params);
            long left = conn.answerBy().remainingMillis();
            if (left <= 0) {
                throw ProbeFailure.timeout(when + "no time left for the TLS handshake");
            }
            long t0 = System.nanoTime();
            try {
                ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                conn.withinAnswerTime(() -> {
                    ssl.startHandshake();
                    return null;
                });
            } catch (IOException e) {
                X509Certificate[] chain = recorder.chain();
                if (chain != null && chain.length > 0) {
                    leaf = chain[0];
                }
                if (recorder.failure() != null) {
                    throw new ProbeFailure(when + recorder.failure());
                }
                throw handshakeFailure(when, e, (System.nanoTime() - t0) / 1_000_000, afterStartTls);
            }
            SSLSession session = ssl.getSession();
            tlsVersion = session.getProtocol();
            cipherSuite = session.getCipherSuite();
            Certificate[] peer = session.getPeerCertificates();
            if (peer.length > 0 && peer[0] instanceof X509Certificate x) {
                leaf = x;
            }
            certificateValid = true;
            conn.use(ssl);
        }

        private ProbeFailure handshakeFailure(String when, IOException e, long elapsedMs, boolean afterStartTls) {
            String all = messages(e).toLowerCase(Locale.ROOT);
            if (e instanceof MailConnection.AnswerOverdue) {
                return ProbeFailure.timeout(when + "TLS handshake not complete after " + elapsedMs
                        + " ms: the server answers too slowly");
            }
            if (has(e, SocketTimeoutException.class)) {
                return ProbeFailure.timeout(when + (afterStartTls
                        ? "TLS handshake timed out after " + elapsedMs + " ms"
                        : "TLS handshake timed out after " + elapsedMs + " ms: server accepted TCP but never "
                                + "answered the TLS ClientHello"));
            }
            if (all.contains("unsupported or unrecognized ssl message") || all.contains("plaintext connection")) {
                return new ProbeFailure(when
                        + "TLS handshake failed: the server did not answer with TLS (plain text on a TLS port?)");
            }
            if (has(e, EOFException.class) || has(e, SocketException.class)
                    || all.contains("remote host terminated the handshake") || all.contains("connection reset")) {
                // A middlebox or an overloaded server does this too: no proof against the setting.
                return ProbeFailure.inconclusive(when
                        + "TLS dropped: the server closed the connection during the TLS handshake");
            }
            if (all.contains("protocol_version") || all.contains("no appropriate protocol")) {
                return new ProbeFailure(when + "TLS handshake failed: the server offers no TLS 1.2 or newer");
            }
            return new ProbeFailure(when + "TLS handshake failed: " + e.getMessage());
        }

        private void sayGoodbye() {
            try {
                conn.shortenDeadline(GOODBYE);
                dialect.quit(conn);
            } catch (ProbeFailure | IOException e) {
                log.trace("{}: goodbye not answered: {}", target, e.getMessage());
            }
        }

        void fail(String reason, FailureKind kind) {
            failure = reason;
            failureKind = kind;
        }

        void close() {
            if (conn != null) {
                conn.close();
            }
        }

        ProbeReport report() {
            boolean ok = failure == null && certificateValid && target.security() != Security.PLAIN;
            return new ProbeReport(ok, rttMs, address, tlsVersion, cipherSuite,
                    leaf == null ? null : leaf.getSubjectX500Principal().getName(X500Principal.RFC2253),
                    leaf == null ? null : leaf.getIssuerX500Principal().getName(X500Principal.RFC2253),
                    leaf == null ? null : leaf.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS).toString(),
                    certificateValid, greeting, capabilities, sasl,
                    AuthMechanisms.forServer(target.protocol(), capabilities, sasl), failure,
                    failure == null ? null : failureKind);
        }
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
