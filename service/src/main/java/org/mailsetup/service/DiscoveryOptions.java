package org.mailsetup.service;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mailsetup.MailSetup;
import org.mailsetup.SourceName;
import org.mailsetup.ProviderIndex;
import org.mailsetup.providerdb.ProviderDatabase;
import org.mailsetup.providerdb.ProviderDatabaseException;
import picocli.CommandLine.Option;

/**
 * The discovery flags shared by {@code lookup} and {@code serve}. Each can also be set by an environment
 * variable, which the flag overrides.
 */
public final class DiscoveryOptions {

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "${env:MAILSETUP_TIMEOUT:-6s}",
            description = "Deadline for a whole lookup, verification included: 6s, 1500ms, PT5S (env MAILSETUP_TIMEOUT; default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--dns", paramLabel = "HOST[:PORT]", defaultValue = "${env:MAILSETUP_DNS}",
            description = "Recursive DNS resolver to use (env MAILSETUP_DNS; default: the system's).")
    String dns;

    @Option(names = "--ispdb-url", paramLabel = "URL", defaultValue = "${env:MAILSETUP_ISPDB_URL}",
            description = "Base URL of the online ISPDB (env MAILSETUP_ISPDB_URL; default Thunderbird's).")
    URI ispdbUrl;

    @Option(names = "--allow-network", paramLabel = "CIDR", split = ",",
            defaultValue = "${env:MAILSETUP_ALLOW_NETWORKS}",
            description = "Allow connections to this non-public network, e.g. 10.0.0.0/8; repeatable (env MAILSETUP_ALLOW_NETWORKS, comma-separated).")
    List<String> allowNetworks = new ArrayList<>();

    @Option(names = "--ca-file", paramLabel = "PEM", defaultValue = "${env:MAILSETUP_CA_FILE}",
            description = "Extra trusted CA certificates, on top of the JVM's (env MAILSETUP_CA_FILE).")
    Path caFile;

    @Option(names = "--no-verify", description = "Do not probe servers; results are marked unverified.")
    boolean noVerify;

    @Option(names = "--disable", paramLabel = "SOURCE", split = ",", defaultValue = "${env:MAILSETUP_DISABLE}",
            description = "Switch a source off: providerdb, autoconfig, ispdb, mx, srv, autodiscover, pacc, guess; repeatable (env MAILSETUP_DISABLE).")
    List<String> disable = new ArrayList<>();

    @Option(names = "--providers-dir", paramLabel = "DIR", defaultValue = "${env:MAILSETUP_PROVIDERS_DIR}",
            description = "Extra provider entries (provider-database format) that take precedence over the bundled ones (env MAILSETUP_PROVIDERS_DIR).")
    Path providersDir;

    @Option(names = "--ispdb-dir", paramLabel = "DIR", defaultValue = "${env:MAILSETUP_ISPDB_DIR}",
            description = "A local ISPDB checkout (config-v1.1 files), consulted after the bundled database (env MAILSETUP_ISPDB_DIR).")
    Path ispdbDir;

    // For labs and tests that serve autoconfig on other ports; not for production.
    @Option(names = "--http-port", hidden = true, defaultValue = "80")
    int httpPort;

    @Option(names = "--https-port", hidden = true, defaultValue = "443")
    int httpsPort;

    /** A builder with these options applied and the bundled provider database. */
    public MailSetup.Builder toBuilder() {
        MailSetup.Builder b = MailSetup.builder()
                .timeout(parseDuration(timeout))
                .verify(!noVerify)
                .providers(providers())
                .webPorts(httpPort, httpsPort);
        if (dns != null && !dns.isBlank()) {
            b.dnsServer(dns.strip());
        }
        if (ispdbUrl != null) {
            b.ispdbUrl(ispdbUrl);
        }
        for (String cidr : allowNetworks) {
            if (!cidr.isBlank()) {
                b.allowNetwork(cidr);
            }
        }
        if (caFile != null) {
            b.caFile(caFile);
        }
        for (String s : disable) {
            if (!s.isBlank()) {
                b.disable(SourceName.fromId(s));
            }
        }
        return b;
    }

    /** The bundled database, under the operator's own entries and over a local ISPDB checkout, if given. */
    private ProviderIndex providers() {
        ProviderDatabase db = ProviderDatabase.bundled();
        try {
            if (ispdbDir != null) {
                db = ProviderDatabase.overlay(db, ProviderDatabase.loadIspdb(ispdbDir));
            }
            if (providersDir != null) {
                db = ProviderDatabase.overlay(ProviderDatabase.load(providersDir), db);
            }
        } catch (IOException | ProviderDatabaseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return db;
    }

    /** {@code 6s}, {@code 1500ms}, {@code 2m}, a bare number of seconds, or ISO-8601 ({@code PT5S}). */
    public static Duration parseDuration(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.startsWith("pt")) {
                return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
            }
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (try 6s or 1500ms)");
        }
    }
}
