package org.mailsetup.providerdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProviderValidatorTest {

    private final ProviderValidator validator = new ProviderValidator(Fixtures.CLOCK);

    private List<String> check(ProviderFile... files) {
        return validator.validate(List.of(files)).diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void validEntriesHaveNoErrorsAndPlainIsOnlyAWarning() {
        ValidationReport report = validator.validate(Fixtures.files("valid"));

        assertThat(report.files()).isEqualTo(5);
        assertThat(report.hasErrors()).isFalse();
        assertThat(report.diagnostics()).map(Diagnostic::toString).containsExactly(
                "valid/legacy.xml:11: warning: plain connection: passwords and mail cross the network unencrypted");
        assertThat(report.summary()).isEqualTo("5 files checked: 0 errors, 1 warning");
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("id-mismatch.xml", List.of(
                        "id-mismatch.xml:3: error: provider id \"other-id\" does not match the file name id-mismatch.xml (expected id=\"id-mismatch\")")),
                Arguments.of("bad-hostname.xml", List.of(
                        "bad-hostname.xml:8: error: hostname 'imap..test.example' is not a valid host name")),
                Arguments.of("uppercase-hostname.xml", List.of(
                        "uppercase-hostname.xml:8: error: hostname 'IMAP.test.example' must be lower case")),
                Arguments.of("hostname-placeholder.xml", List.of(
                        "hostname-placeholder.xml:8: error: hostname '%EMAILLOCALPART%.test.example' may only use the %EMAILDOMAIN% placeholder")),
                Arguments.of("port-range.xml", List.of(
                        "port-range.xml:9: error: port 70000 is out of range (1-65535)")),
                Arguments.of("port-not-number.xml", List.of(
                        "port-not-number.xml:9: error: port 'imaps' is not a number")),
                Arguments.of("ssl-on-starttls-port.xml", List.of(
                        "ssl-on-starttls-port.xml:10: error: socketType SSL (implicit TLS) on port 143, which is a STARTTLS port; use STARTTLS, or port 993/995/465"
                                + " (if the provider really does this, mark the server ms:unusualPort=\"true\")")),
                Arguments.of("starttls-on-tls-port.xml", List.of(
                        "starttls-on-tls-port.xml:17: error: socketType STARTTLS on port 465, which is an implicit-TLS port; use SSL, or port 143/110/587"
                                + " (if the provider really does this, mark the server ms:unusualPort=\"true\")")),
                Arguments.of("unusual-port-confirmed.xml", List.of(
                        "unusual-port-confirmed.xml:17: warning: socketType STARTTLS on port 465, which is an implicit-TLS port"
                                + " (confirmed by ms:unusualPort)")),
                Arguments.of("unusual-port-needless.xml", List.of(
                        "unusual-port-needless.xml:14: warning: ms:unusualPort is set but SSL on port 465 is not unusual; remove it")),
                Arguments.of("unusual-port-value.xml", List.of(
                        "unusual-port-value.xml:14: error: ms:unusualPort must be \"true\" (or left out), not \"yes\"",
                        "unusual-port-value.xml:17: error: socketType STARTTLS on port 465, which is an implicit-TLS port;"
                                + " use SSL, or port 143/110/587 (if the provider really does this, mark the server ms:unusualPort=\"true\")")),
                Arguments.of("plain.xml", List.of(
                        "plain.xml:10: warning: plain connection: passwords and mail cross the network unencrypted")),
                Arguments.of("bad-socket-type.xml", List.of(
                        "bad-socket-type.xml:10: error: socketType \"TLS\" is not one of SSL, STARTTLS, plain")),
                Arguments.of("bad-authentication.xml", List.of(
                        "bad-authentication.xml:12: error: authentication \"password\" is not one of GSSAPI, NTLM, OAuth2, TLS-client-cert, client-IP-address, none, password-cleartext, password-encrypted, smtp-after-pop")),
                Arguments.of("dav-url.xml", List.of(
                        "dav-url.xml:24: error: serverURL 'http://dav.test.example/' must be an https URL: credentials go to it",
                        "dav-url.xml:27: error: serverURL 'https://%EMAILLOCALPART%.test.example/caldav/' may only use the %EMAILDOMAIN% placeholder in its host")),
                Arguments.of("dav-type.xml", List.of(
                        "dav-type.xml:23: error: addressBook has no type; use type=\"carddav\"",
                        "dav-type.xml:26: error: calendar type \"carddav\" is not supported; use type=\"caldav\"")),
                Arguments.of("dav-source-auth.xml", List.of(
                        "dav-source-auth.xml:23: error: addressBook has no ms:source: name the provider's https page that gives this URL",
                        "dav-source-auth.xml:28: error: calendar ms:source 'http://help.test.example/dav' must be an https URL",
                        "dav-source-auth.xml:29: error: calendar authentication \"password-cleartext\" is not one of OAuth2, http-basic, http-digest")),
                Arguments.of("bad-server-type.xml", List.of(
                        "bad-server-type.xml:7: error: incomingServer type \"exchange\" is not supported; use imap or pop3")),
                Arguments.of("unclosed-placeholder.xml", List.of(
                        "unclosed-placeholder.xml:11: error: username: placeholder '%EMAILADDRESS' is not closed with '%'")),
                Arguments.of("unknown-placeholder.xml", List.of(
                        "unknown-placeholder.xml:11: error: username: unknown placeholder %EMAIL%")),
                Arguments.of("uppercase-domain.xml", List.of(
                        "uppercase-domain.xml:4: error: domain 'Uppercase.Example' must be written as the lower-case A-label 'uppercase.example'")),
                Arguments.of("unicode-domain.xml", List.of(
                        "unicode-domain.xml:4: error: domain 'bücher.example' must be written as the lower-case A-label 'xn--bcher-kva.example'")),
                Arguments.of("invalid-domain.xml", List.of(
                        "invalid-domain.xml:4: error: <domain>: the domain 'no_such domain.example' is not a valid domain name")),
                Arguments.of("no-domain.xml", List.of(
                        "no-domain.xml:3: error: no <domain> and no <ms:mxHost>: an entry must list at least one email domain,"
                                + " or, for a platform that only hosts custom domains, its MX hosts")),
                Arguments.of("no-outgoing.xml", List.of(
                        "no-outgoing.xml:3: error: no <outgoingServer>: an entry needs at least one SMTP server")),
                Arguments.of("http-documentation.xml", List.of(
                        "http-documentation.xml:21: error: documentation url 'http://help.test.example/imap' must be an https URL")),
                Arguments.of("note-type.xml", List.of(
                        "note-type.xml:21: error: note type \"tip\" is not one of app-password, bridge, enable-imap, oauth-only, other, paid-plan, unverified")),
                Arguments.of("note-url.xml", List.of(
                        "note-url.xml:21: error: note url 'http://help.test.example/' must be an https URL")),
                Arguments.of("oauth2-http.xml", List.of(
                        "oauth2-http.xml:27: error: tokenURL 'http://login.test.example/token' must be an https URL")),
                Arguments.of("oauth2-incomplete.xml", List.of(
                        "oauth2-incomplete.xml:23: error: no <scope> in oAuth2")),
                Arguments.of("last-verified-future.xml", List.of(
                        "last-verified-future.xml:21: error: lastVerified 2025-06-03 is in the future")),
                Arguments.of("last-verified-not-a-date.xml", List.of(
                        "last-verified-not-a-date.xml:21: error: lastVerified '2024-02-30' is not a date (YYYY-MM-DD)")),
                Arguments.of("mx-public-suffix.xml", List.of(
                        "mx-public-suffix.xml:21: error: MX pattern '*.co.uk' covers the public suffix 'co.uk'; name the provider's own MX domain")),
                Arguments.of("mx-bad-wildcard.xml", List.of(
                        "mx-bad-wildcard.xml:21: error: MX pattern 'mx*.test.example' may only have '*.' at the start")),
                Arguments.of("misspelt-element.xml", List.of(
                        "misspelt-element.xml:7: error: no <hostname> in incomingServer",
                        "misspelt-element.xml:8: error: Invalid content was found starting with element 'hostnmae'. One of "
                                + "'{hostname, port, socketType, username, authentication, password, pop3, useGlobalPreferredServer, "
                                + "addThisServer, restriction, owaURL, ewsURL}' is expected.")),
                Arguments.of("unknown-extension.xml", List.of(
                        "unknown-extension.xml:21: error: Invalid content was found starting with element '{ms:mxhost}'. One of "
                                + "'{domain, displayName, displayShortName, incomingServer, outgoingServer, documentation, enable, "
                                + "instructions, instruction, inputField, ms:mxHost, ms:note, ms:source, ms:noClientAccess, ms:bridge, ms:added, ms:lastVerified}' is expected.")),
                Arguments.of("no-source.xml", List.of(
                        "no-source.xml:3: error: no source: name the provider's page (<documentation url> or"
                                + " <ms:source type=\"provider\">) or, where it has none, the public reference the entry"
                                + " was written from (<ms:source type=\"reference\">)")),
                Arguments.of("no-client-access-bad.xml", List.of(
                        "no-client-access-bad.xml:6: error: an ms:noClientAccess entry lists no servers: a lookup never"
                                + " offers them (a local bridge program's go in ms:bridge)",
                        "no-client-access-bad.xml:13: error: empty ms:noClientAccess: say what the provider offers instead",
                        "no-client-access-bad.xml:13: error: noClientAccess url 'http://help.test.example/apps' must be an https URL",
                        "no-client-access-bad.xml:14: error: bridge host '192.0.2.7' is not on the user's computer (127.0.0.1, ::1 or localhost)",
                        "no-client-access-bad.xml:15: error: bridge port '0' is not a port number (1-65535)",
                        "no-client-access-bad.xml:15: error: bridge socketType \"TLS\" is not one of SSL, STARTTLS, plain",
                        "no-client-access-bad.xml:15: error: bridge type \"jmap\" is not one of imap, pop3, smtp")),
                Arguments.of("bridge-without-no-client-access.xml", List.of(
                        "bridge-without-no-client-access.xml:20: error: ms:bridge belongs to an ms:noClientAccess entry only")),
                Arguments.of("unverified-no-source.xml", List.of(
                        "unverified-no-source.xml:3: warning: no source on record; the entry is marked unverified until one is added")),
                Arguments.of("bad-source.xml", List.of(
                        "bad-source.xml:21: error: source type \"blog\" is not one of provider, reference",
                        "bad-source.xml:22: error: source url 'http://reference.test.example/entry' must be an https URL",
                        "bad-source.xml:23: error: added '2025-02-30' is not a date (YYYY-MM-DD)")),
                Arguments.of("not-config.xml", List.of(
                        "not-config.xml:2: error: Cannot find the declaration of element 'settings'.")),
                Arguments.of("malformed.xml", List.of(
                        "malformed.xml:6: error: not well-formed XML: The element type \"emailProvider\" must be terminated by the matching end-tag \"</emailProvider>\".")),
                Arguments.of("doctype.xml", List.of(
                        "doctype.xml:2: error: DOCTYPE is not allowed (entries may not use DTDs or entities)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void eachBadFixtureGetsItsPreciseMessage(String name, List<String> expected) {
        assertThat(check(Fixtures.file("invalid", name))).containsExactlyElementsOf(expected);
    }

    @Test
    void everyBadFixtureIsCovered() throws IOException {
        List<String> covered = invalidFiles().map(a -> (String) a.get()[0]).toList();
        try (Stream<Path> s = Files.list(Fixtures.dir("invalid"))) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(covered);
        }
    }

    @Test
    void aDomainClaimedByTwoProvidersIsReportedInBothFiles() {
        assertThat(validator.validate(Fixtures.files("invalid/duplicate-domain")).diagnostics())
                .map(Diagnostic::toString).containsExactly(
                        "duplicate-domain/one.xml:5: error: domain 'shared.example' is also claimed by duplicate-domain/two.xml:5",
                        "duplicate-domain/two.xml:5: error: domain 'shared.example' is also claimed by duplicate-domain/one.xml:5");
    }

    @Test
    void anMxPatternClaimedByTwoProvidersIsReportedInBothFiles() {
        assertThat(validator.validate(Fixtures.files("invalid/duplicate-mx")).diagnostics())
                .map(Diagnostic::toString).containsExactly(
                        "duplicate-mx/one.xml:21: error: MX pattern '*.mail-platform.example' is also claimed by duplicate-mx/two.xml:21",
                        "duplicate-mx/two.xml:21: error: MX pattern '*.mail-platform.example' is also claimed by duplicate-mx/one.xml:21");
    }

    @Test
    void anMxPatternInsideAnotherProvidersSuffixIsAWarning() {
        ValidationReport report = validator.validate(Fixtures.files("invalid/overlapping-mx"));

        assertThat(report.hasErrors()).isFalse();
        assertThat(report.diagnostics()).map(Diagnostic::toString).containsExactly(
                "overlapping-mx/two.xml:21: warning: MX pattern 'mx.eu.mail-platform.example' is also matched by "
                        + "'*.mail-platform.example' (overlapping-mx/one.xml:21); the more specific pattern wins");
    }

    @Test
    void lastVerifiedTodayIsAcceptedInEveryTimeZone() {
        // 2025-06-02 has begun east of UTC+12 while the fixed clock still reads 2025-06-01 in UTC.
        String xml = new String(Fixtures.file("invalid", "last-verified-future.xml").content(), StandardCharsets.UTF_8)
                .replace("2025-06-03", "2025-06-02").replace("last-verified-future", "tomorrow-in-kiribati");
        ProviderFile f = new ProviderFile("tomorrow-in-kiribati.xml", "tomorrow-in-kiribati.xml",
                xml.getBytes(StandardCharsets.UTF_8));

        assertThat(check(f)).isEmpty();
    }

    @Test
    void anOperatorsOwnEntriesNeedNoSource() {
        assertThat(ProviderValidator.forOwnEntries().validate(List.of(Fixtures.file("invalid", "no-source.xml")))
                .diagnostics()).isEmpty();
    }

    @Test
    void anOversizedFileIsRefusedBeforeParsing() {
        byte[] big = new byte[600 * 1024];
        assertThat(check(new ProviderFile("big.xml", "big.xml", big)))
                .containsExactly("big.xml:1: error: file is larger than 524288 bytes");
    }

    @Test
    void validatesADirectoryWithPathsAsGiven(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.dir("invalid").resolve("port-range.xml"), dir.resolve("port-range.xml"));
        Files.writeString(dir.resolve("README.md"), "not an entry");

        ValidationReport report = validator.validate(dir);

        assertThat(report.files()).isEqualTo(1);
        assertThat(report.diagnostics()).map(Diagnostic::toString)
                .containsExactly(dir.resolve("port-range.xml") + ":9: error: port 70000 is out of range (1-65535)");
    }

    @Test
    void aMissingDirectoryIsAnIoError(@TempDir Path dir) {
        assertThatThrownBy(() -> validator.validate(dir.resolve("nope")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }
}
