package org.mailsetup.service;

import java.util.List;
import java.util.stream.Collectors;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ServerSettings;
import org.mailsetup.ServiceSettings;
import org.mailsetup.SourceReport;
import org.mailsetup.config.NoClientAccess;

/** The human-readable form of a result, for the terminal. */
final class ResultTable {

    private ResultTable() {
    }

    static String render(DiscoveryResult r) {
        StringBuilder b = new StringBuilder();
        b.append(r.email());
        if (r.provider() != null) {
            b.append("  (").append(r.provider().name()).append(')');
        }
        b.append('\n');
        if (r.provider() != null) {
            r.provider().notes().forEach(n -> b.append("  note: ").append(n.text())
                    .append(n.url() == null ? "" : " (" + n.url() + ")").append('\n'));
        }
        if (r.error() != null) {
            b.append("error: ").append(r.error().code().id()).append(": ").append(r.error().message()).append('\n');
            if (r.error().url() != null) {
                b.append("  see ").append(r.error().url()).append('\n');
            }
            for (NoClientAccess.Bridge br : r.error().bridge()) {
                // Shown as the provider documents it: a program on the user's own computer, never probed.
                b.append("  local bridge: ").append(br.protocol().name()).append(' ').append(br.host()).append(':')
                        .append(br.port()).append(' ').append(br.security().jsonName()).append('\n');
            }
        }
        section(b, "Incoming", r.incoming());
        section(b, "Outgoing", r.outgoing());
        services(b, "Contacts", r.contacts());
        services(b, "Calendars", r.calendars());
        services(b, "JMAP", r.jmap());
        b.append("\nSources (").append(r.elapsedMs()).append(" ms in all)\n");
        for (SourceReport s : r.sources()) {
            b.append(String.format("  %-13s %-8s %6d ms  %s%n", s.name().id(), s.status().jsonName(), s.elapsedMs(),
                    s.detail() == null ? "" : s.detail()));
        }
        if (!r.warnings().isEmpty()) {
            b.append("\nWarnings\n");
            r.warnings().forEach(w -> b.append("  ! ").append(w).append('\n'));
        }
        return b.toString();
    }

    private static void services(StringBuilder b, String title, List<ServiceSettings> endpoints) {
        if (endpoints.isEmpty()) {
            return;
        }
        b.append('\n').append(title).append('\n');
        int i = 1;
        for (ServiceSettings s : endpoints) {
            b.append(String.format("  %d. %s  user %s  [%s]  via %s%n", i++, s.url(), s.username(), flags(s.verified(),
                    s.probe() != null, s.trusted()), s.foundBy().stream().map(x -> x.id()).collect(Collectors.joining(","))));
            if (!s.auth().isEmpty()) {
                b.append("       auth: ").append(String.join(", ", s.auth())).append('\n');
            }
            if (s.probe() != null && !s.probe().capabilities().isEmpty()) {
                b.append("       capabilities: ").append(String.join(", ", s.probe().capabilities())).append('\n');
            }
            if (s.probe() != null && s.probe().failure() != null) {
                b.append("       probe: ").append(s.probe().failure()).append('\n');
            }
        }
    }

    private static String flags(boolean verified, boolean probed, boolean trusted) {
        return (verified ? "verified" : probed ? "FAILED" : "unverified") + (trusted ? ", trusted" : ", untrusted");
    }

    private static void section(StringBuilder b, String title, List<ServerSettings> servers) {
        if (servers.isEmpty()) {
            return;
        }
        b.append('\n').append(title).append('\n');
        int i = 1;
        for (ServerSettings s : servers) {
            String flags = flags(s.verified(), s.probe() != null, s.trusted());
            b.append(String.format("  %d. %-4s %s:%d %-8s user %s  [%s]  via %s%n", i++,
                    s.protocol().jsonName().toUpperCase(java.util.Locale.ROOT), s.host(), s.port(),
                    s.security().jsonName(), s.username(), flags,
                    s.foundBy().stream().map(x -> x.id()).collect(Collectors.joining(","))));
            if (!s.auth().isEmpty()) {
                b.append("       auth: ").append(String.join(", ", s.auth())).append('\n');
            }
            if (s.probe() != null && s.probe().failure() != null) {
                b.append("       probe: ").append(s.probe().failure()).append('\n');
            }
        }
    }
}
