package org.mailsetup.internal.probe;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mailsetup.internal.Deadline;

/**
 * A line-oriented conversation over one socket, every read bounded by size caps, by the probe's deadline and
 * by an answer budget: the server must answer completely within the budget of being asked (the greeting
 * within it of the connection), so that a slow, silent, trickling or flooding server ends the probe instead
 * of holding it. A socket time-out alone bounds each read, not the answer: a server sending a byte now and
 * then would never trip it, so a read still blocked at the answer's deadline has its socket closed.
 * Buffers input itself so that it can tell whether the server sent anything ahead of a TLS upgrade.
 */
public final class MailConnection implements Closeable {

    /** Closes the sockets of reads that outlive their answer's deadline; one thread for every probe. */
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();
    /**
     * The cut-off comes this long after the answer's deadline, so that a silent server meets the socket's own
     * time-out first (and is reported as silent); only a server that kept sending meets the cut-off.
     */
    private static final Duration CUT_OFF_MARGIN = Duration.ofMillis(250);

    /** RFC 5321 allows 512-byte lines, IMAP servers send longer CAPABILITY lines; 8 KiB covers both. */
    static final int MAX_LINE = 8 * 1024;
    /** A probe reads a greeting and two capability lists; anything beyond this is a misbehaving server. */
    static final int MAX_TOTAL = 256 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    private Deadline deadline;
    private Duration answerTime;
    /** When the answer the conversation waits for must be complete. */
    private Deadline answerBy;
    private final long startNanos = System.nanoTime();
    /** The TCP connection under any TLS layer: closing it ends a read at once, whatever layer is reading. */
    private final Socket tcp;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[4096];
    private int pos;
    private int lim;
    private long totalRead;

    /** @param answerTime how long the server may take to answer completely, from now (its greeting) or from a request */
    MailConnection(Socket socket, Deadline deadline, Duration answerTime) throws IOException {
        this.deadline = deadline;
        this.answerTime = answerTime;
        this.tcp = socket;
        use(socket);
        awaitAnswer();
    }

    /** Starts the server's answer budget afresh: it has been asked something (a line, a TLS handshake). */
    void awaitAnswer() {
        answerBy = deadline.min(Deadline.after(answerTime));
    }

    /**
     * From now on an answer may take until the deadline: for a login, whose refusal servers delay on purpose
     * (seconds, against password guessing), while the probe's steps before it kept the probe's budget.
     */
    void answersUntilDeadline() {
        answerTime = deadline.remaining();
        awaitAnswer();
    }

    /** When the answer now awaited must be complete. */
    Deadline answerBy() {
        return answerBy;
    }

    /**
     * Runs a blocking read on this connection that must be over by the answer's deadline; if it is not, the
     * socket is closed under it and the read ends in {@link AnswerOverdue}.
     */
    <T> T withinAnswerTime(IoCall<T> read) throws IOException {
        AtomicBoolean overdue = new AtomicBoolean();
        ScheduledFuture<?> cutOff = WATCHDOG.schedule(() -> {
            overdue.set(true);
            closeQuietly(tcp);
        }, Math.max(1, answerBy.remainingMillis()) + CUT_OFF_MARGIN.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return read.call();
        } catch (IOException e) {
            if (overdue.get()) {
                throw new AnswerOverdue(elapsedMillis(), e);
            }
            throw e;
        } finally {
            cutOff.cancel(false);
        }
    }

    /** A blocking read. */
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** The answer was not complete by its deadline although bytes may have kept coming. */
    static final class AnswerOverdue extends SocketTimeoutException {
        AnswerOverdue(long elapsedMs, IOException cause) {
            super("no complete answer within the answer time (" + elapsedMs + " ms since connecting)");
            initCause(cause);
        }
    }

    Socket socket() {
        return socket;
    }

    /** Total bytes received from the server so far, TLS records not counted. */
    long bytesReceived() {
        return totalRead;
    }

    /** Milliseconds since this connection object was created. */
    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * True when the server sent bytes we have not read yet. Right after a STARTTLS answer this means
     * the server (or someone in the path) queued plaintext that a naive client would read as if it
     * had come over TLS (CVE-2011-0411 style command/response injection).
     */
    boolean hasUnreadInput() throws IOException {
        return pos < lim || in.available() > 0;
    }

    /** Continues the conversation over the given socket, typically an SSLSocket layered on the old one. */
    void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
        this.pos = 0;
        this.lim = 0;
    }

    public void writeLine(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        awaitAnswer();
    }

    /**
     * Sends a line given as bytes (CR LF is added), so that a line carrying a credential never becomes a
     * String; the caller zeroes the array.
     */
    public void writeLine(byte[] line) throws IOException {
        out.write(line);
        out.write(CRLF);
        out.flush();
        awaitAnswer();
    }

    /**
     * Reads one line without its CR LF.
     *
     * @param waitingFor what the line is, for failure messages ("the greeting", "the CAPABILITY answer")
     */
    public String readLine(String waitingFor) throws ProbeFailure, IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (pos == lim) {
                fill(waitingFor);
            }
            while (pos < lim) {
                byte b = buf[pos++];
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.UTF_8);
                }
                line.write(b);
                if (line.size() > MAX_LINE) {
                    throw new ProbeFailure("server sent a line longer than " + MAX_LINE + " bytes in "
                            + waitingFor);
                }
            }
        }
    }

    private void fill(String waitingFor) throws ProbeFailure, IOException {
        if (totalRead >= MAX_TOTAL) {
            throw new ProbeFailure("server sent more than " + MAX_TOTAL + " bytes; stopped reading " + waitingFor);
        }
        long left = answerBy.remainingMillis();
        if (left <= 0) {
            throw timeout(waitingFor);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        int n;
        try {
            // Over TLS one read returns only a whole record, however slowly its bytes come.
            n = withinAnswerTime(() -> in.read(buf, 0, (int) Math.min(buf.length, MAX_TOTAL - totalRead)));
        } catch (SocketTimeoutException e) {
            throw timeout(waitingFor);
        }
        if (n < 0) {
            throw ProbeFailure.inconclusive("server closed the connection while we waited for " + waitingFor);
        }
        pos = 0;
        lim = n;
        totalRead += n;
    }

    private ProbeFailure timeout(String waitingFor) {
        return ProbeFailure.timeout("timed out after " + elapsedMillis() + " ms waiting for " + waitingFor);
    }

    /** Brings the deadline forward, e.g. for the polite goodbye, which must never cost the caller much time. */
    void shortenDeadline(Duration max) {
        deadline = deadline.min(Deadline.after(max));
        answerBy = answerBy.min(deadline);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor w = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("probe-answer-watchdog").factory());
        // Nearly every read ends in time: its cancelled cut-off must not linger in the queue.
        w.setRemoveOnCancelPolicy(true);
        return w;
    }
}
