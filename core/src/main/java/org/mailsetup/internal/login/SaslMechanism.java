package org.mailsetup.internal.login;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

/**
 * The client messages of one SASL mechanism in one check. Encodings only (RFC 4616 PLAIN, the LOGIN
 * prompts, XOAUTH2, RFC 7628 OAUTHBEARER); CRAM-MD5 (RFC 2195) comes from the JDK's SASL provider, so no
 * cryptography is written here.
 */
abstract class SaslMechanism {

    final String name;
    private int step;
    /** What the server said in its last challenge once the credential was sent (the OAuth error document). */
    private String errorChallenge;

    SaslMechanism(String name) {
        this.name = name;
    }

    /** The first message when it can go with the command (SASL-IR), else null. Counts as the first step. */
    final byte[] initialResponse() {
        byte[] first = first();
        if (first != null) {
            step = 1;
        }
        return first;
    }

    /** The answer to a server challenge, or null to cancel (the mechanism has nothing more to say). */
    final byte[] respond(byte[] challenge) throws SaslException {
        int n = step++;
        if (n == 0) {
            byte[] first = first();
            if (first != null) {
                return first;
            }
        }
        return next(n, challenge);
    }

    /** True once the message carrying the credential was produced. */
    boolean credentialSent() {
        return step > credentialStep();
    }

    String errorChallenge() {
        return errorChallenge;
    }

    /** The first client message, or null when the server speaks first. */
    abstract byte[] first();

    /** The step (0-based) whose message carries the credential. */
    int credentialStep() {
        return 0;
    }

    /** Messages after the first; the default: the server's challenge after the credential is its error. */
    byte[] next(int step, byte[] challenge) throws SaslException {
        errorChallenge = new String(challenge, StandardCharsets.UTF_8);
        return null;
    }

    void dispose() {
    }

    static SaslMechanism plain(String username, Secret secret) {
        return new SaslMechanism("PLAIN") {
            @Override
            byte[] first() {
                return secret.concat(new byte[] {0}, Secret.ascii(username), new byte[] {0}, secret.bytes());
            }
        };
    }

    /** The LOGIN mechanism: the server prompts for the username, then for the password. */
    static SaslMechanism login(String username, Secret secret) {
        return new SaslMechanism("LOGIN") {
            @Override
            byte[] first() {
                return null;
            }

            @Override
            int credentialStep() {
                return 1;
            }

            @Override
            byte[] next(int step, byte[] challenge) throws SaslException {
                return switch (step) {
                    case 0 -> Secret.ascii(username);
                    case 1 -> secret.bytes();
                    default -> super.next(step, challenge);
                };
            }
        };
    }

    /** Google's and Microsoft's XOAUTH2; on failure the server sends an error document and waits for an empty answer. */
    static SaslMechanism xoauth2(String username, Secret token) {
        return new SaslMechanism("XOAUTH2") {
            @Override
            byte[] first() {
                return token.concat(Secret.ascii("user=" + username + "\u0001auth=Bearer "), token.bytes(),
                        new byte[] {1, 1});
            }

            @Override
            byte[] next(int step, byte[] challenge) throws SaslException {
                super.next(step, challenge);
                return new byte[0];
            }
        };
    }

    /** RFC 7628; on failure the server sends an error document and the client answers with a single 0x01. */
    static SaslMechanism oauthBearer(String username, String host, int port, Secret token) {
        return new SaslMechanism("OAUTHBEARER") {
            @Override
            byte[] first() {
                String authzid = username.replace("=", "=3D").replace(",", "=2C");
                return token.concat(Secret.ascii("n,a=" + authzid + ",\u0001host=" + host + "\u0001port=" + port
                        + "\u0001auth=Bearer "), token.bytes(), new byte[] {1, 1});
            }

            @Override
            byte[] next(int step, byte[] challenge) throws SaslException {
                super.next(step, challenge);
                return new byte[] {1};
            }
        };
    }

    /** RFC 2195 through the JDK's SASL provider. */
    static SaslMechanism cramMd5(String username, char[] password, String service, String host) throws SaslException {
        SaslClient client = Sasl.createSaslClient(new String[] {"CRAM-MD5"}, null, service, host, Map.of(),
                callbacks -> {
                    for (var cb : callbacks) {
                        if (cb instanceof NameCallback n) {
                            n.setName(username);
                        } else if (cb instanceof PasswordCallback p) {
                            p.setPassword(password); // copied by the callback, cleared by the client's dispose
                        } else {
                            throw new UnsupportedCallbackException(cb);
                        }
                    }
                });
        if (client == null) {
            throw new SaslException("the JDK offers no CRAM-MD5 client");
        }
        return new SaslMechanism("CRAM-MD5") {
            @Override
            byte[] first() {
                return null;
            }

            @Override
            byte[] next(int step, byte[] challenge) throws SaslException {
                return step == 0 ? client.evaluateChallenge(challenge) : super.next(step, challenge);
            }

            @Override
            void dispose() {
                try {
                    client.dispose();
                } catch (SaslException ignored) {
                    // nothing held that matters
                }
            }
        };
    }
}
