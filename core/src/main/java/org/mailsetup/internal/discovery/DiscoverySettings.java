package org.mailsetup.internal.discovery;

import java.net.URI;

/**
 * Settings the sources read.
 *
 * @param ispdbUrl  base URL of the online ISPDB; the domain is appended
 * @param httpPort  port for http:// fetches (80; other values only in tests and labs)
 * @param httpsPort port for https:// fetches (443; other values only in tests and labs)
 */
public record DiscoverySettings(URI ispdbUrl, int httpPort, int httpsPort) {

    public static final URI DEFAULT_ISPDB_URL = URI.create("https://autoconfig.thunderbird.net/v1.1/");

    public static DiscoverySettings defaults() {
        return new DiscoverySettings(DEFAULT_ISPDB_URL, 80, 443);
    }

    /** An https URL for host and path, with the configured https port. */
    public URI https(String host, String pathAndQuery) {
        return URI.create("https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + pathAndQuery);
    }

    /** An http URL for host and path, with the configured http port. */
    public URI http(String host, String pathAndQuery) {
        return URI.create("http://" + host + (httpPort == 80 ? "" : ":" + httpPort) + pathAndQuery);
    }
}
