package org.mailsetup.format;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.ProviderInfo;
import org.mailsetup.ServerSettings;
import org.mailsetup.Service;
import org.mailsetup.ServiceSettings;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.OAuth2Config;
import org.mailsetup.config.ServerConfig;
import org.mailsetup.config.ServiceConfig;

/** Turns a lookup result into the config-v1.1 model that {@link ClientConfigWriter} writes. */
public final class ClientConfigs {

    /** What a client may send over an encrypted channel when nothing said more. */
    static final String DEFAULT_AUTHENTICATION = "password-cleartext";

    private ClientConfigs() {
    }

    /**
     * A config holding the chosen servers, in rank order, with the usernames as the sources wrote them
     * ({@code %EMAILADDRESS%}, ...), so that the document is right for every address of the domain, and the
     * contacts and calendars endpoints a client may use ({@link BestSettings#endpoint}) as
     * {@code <addressBook>} and {@code <calendar>}. JMAP is left out: config-v1.1 clients have no element
     * for it. Hand it to a client only when {@link BestSettings#isComplete()}: a client rejects a document
     * without an incoming or an outgoing server.
     */
    public static ClientConfig fromResult(DiscoveryResult result, BestSettings best) {
        ProviderInfo provider = result.provider();
        String name = provider != null ? provider.name() : result.domain();
        String id = provider != null ? provider.id() : result.domain();
        OAuth2Config oauth2 = provider != null ? provider.oauth2() : null;
        return new ClientConfig(id, List.of(result.domain()), name, null,
                best.incoming().stream().map(s -> server(s, oauth2 != null)).toList(),
                best.outgoing().stream().map(s -> server(s, oauth2 != null)).toList(),
                List.of(), List.of(), List.of(), null, oauth2, null,
                Stream.of(Service.CONTACTS, Service.CALENDARS)
                        .flatMap(service -> BestSettings.endpoint(result, service).stream())
                        .map(e -> service(e, oauth2 != null)).toList());
    }

    private static ServiceConfig service(ServiceSettings s, boolean oauth2Known) {
        String username = s.usernameTemplate() != null ? s.usernameTemplate() : s.username();
        return new ServiceConfig(s.service(), s.url(), username, serviceAuthentication(s, oauth2Known));
    }

    /**
     * The endpoint's methods as config-v1.1 words (a probe reports HTTP schemes: {@code Basic} is
     * {@code http-basic}, {@code Bearer} is {@code OAuth2}); OAuth2 only when the provider's OAuth2 details
     * are known; else a password over the https channel, which is what a DAV client sends by default.
     */
    static List<String> serviceAuthentication(ServiceSettings s, boolean oauth2Known) {
        List<String> auth = s.auth().stream()
                .map(a -> switch (a.strip().toLowerCase(Locale.ROOT)) {
                    case "basic", "http-basic" -> "http-basic";
                    case "digest", "http-digest" -> "http-digest";
                    case "bearer", "oauth2" -> "OAuth2";
                    default -> "";
                })
                .filter(a -> !a.isEmpty() && (oauth2Known || !a.equals("OAuth2")))
                .distinct()
                .toList();
        return auth.isEmpty() ? List.of("http-basic") : auth;
    }

    private static ServerConfig server(ServerSettings s, boolean oauth2Known) {
        String username = s.usernameTemplate() != null ? s.usernameTemplate() : s.username();
        return new ServerConfig(s.protocol(), s.host(), s.port(), s.security(), username,
                authentication(s, oauth2Known));
    }

    /**
     * Never empty, since a client skips a server without one: the server's methods in config-v1.1
     * vocabulary, OAuth2 only when the provider's OAuth2 details are known (a client cannot get a token
     * otherwise), else the password that the encrypted channel protects.
     */
    static List<String> authentication(ServerSettings s, boolean oauth2Known) {
        List<String> auth = s.auth().stream()
                .filter(ClientConfigParser.AUTHENTICATION_VALUES::contains)
                .filter(a -> oauth2Known || !a.equals("OAuth2"))
                .distinct()
                .toList();
        return auth.isEmpty() ? List.of(DEFAULT_AUTHENTICATION) : auth;
    }
}
