package org.mailsetup.internal.probe;

import java.io.IOException;
import java.util.List;
import org.mailsetup.ProbeReport;
import org.mailsetup.Protocol;

/**
 * A conversation a probe opened and handed over (see {@link SocketProber#open}): connected through the
 * dialer, over validated TLS (or plain text when the caller allowed it), greeting and capabilities read.
 * For a session that could not be opened, {@link #report()} says why and {@link #failedAt()} where.
 */
public final class MailSession implements AutoCloseable {

    /** How far the opening got. */
    public enum Stage {
        /** Resolving the name, applying the policy, connecting. */
        CONNECT,
        /** Implicit TLS or the STARTTLS upgrade, certificate and host name. */
        TLS,
        /** Greeting and capabilities. */
        CONVERSATION
    }

    private final ProbeReport report;
    private final MailConnection conn;
    private final Protocol protocol;
    private final Dialect dialect;
    private final Stage stage;
    private final boolean timedOut;
    private final Runnable goodbye;
    private boolean ended;

    MailSession(Protocol protocol, ProbeReport report, MailConnection conn, Dialect dialect, Stage stage,
                boolean timedOut, Runnable goodbye) {
        this.protocol = protocol;
        this.report = report;
        this.conn = conn;
        this.dialect = dialect;
        this.stage = stage;
        this.timedOut = timedOut;
        this.goodbye = goodbye;
    }

    /** What the probe saw: address, TLS, greeting, capabilities; the failure when the session is not open. */
    public ProbeReport report() {
        return report;
    }

    public boolean isOpen() {
        return conn != null;
    }

    /** The step that failed, for a session that is not open. */
    public Stage failedAt() {
        return stage;
    }

    /** The opening failed because the server did not answer in time. */
    public boolean timedOut() {
        return timedOut;
    }

    /** The conversation, for the commands that follow (reads bounded by the session's deadline). */
    public MailConnection connection() {
        if (conn == null) {
            throw new IllegalStateException("the session is not open: " + report.failure());
        }
        return conn;
    }

    /** The next IMAP command tag of this connection (the probe's commands used the earlier ones). */
    public String nextImapTag() {
        return ((ImapDialect) dialect).nextTag();
    }

    /** One SMTP reply whose first line is read now. */
    public SmtpReply readSmtpReply(String what) throws ProbeFailure, IOException {
        SmtpDialect.Reply r = SmtpDialect.readReply(conn, conn.readLine(what), what);
        return new SmtpReply(r.code(), r.lines());
    }

    /** An SMTP reply: the code and the text of each line. */
    public record SmtpReply(int code, List<String> lines) {
        public SmtpReply {
            lines = List.copyOf(lines);
        }

        /** The lines joined by spaces, as one text. */
        public String text() {
            return String.join(" ", lines).strip();
        }
    }

    public Protocol protocol() {
        return protocol;
    }

    /** Says goodbye (LOGOUT, QUIT) in the background and closes; idempotent. */
    @Override
    public void close() {
        if (conn != null && !ended) {
            ended = true;
            goodbye.run();
        }
    }
}
