package org.mailsetup.internal.probe;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.mailsetup.internal.Deadline;

/**
 * A line-oriented conversation over one socket, every read bounded by the probe's deadline and by
 * size caps, so that a slow, silent or flooding server ends the probe instead of holding it.
 * Buffers input itself so that it can tell whether the server sent anything ahead of a TLS upgrade.
 */
public final class MailConnection implements Closeable {

    /** RFC 5321 allows 512-byte lines, IMAP servers send longer CAPABILITY lines; 8 KiB covers both. */
    static final int MAX_LINE = 8 * 1024;
    /** A probe reads a greeting and two capability lists; anything beyond this is a misbehaving server. */
    static final int MAX_TOTAL = 256 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};

    private Deadline deadline;
    private final long startNanos = System.nanoTime();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buf = new byte[4096];
    private int pos;
    private int lim;
    private long totalRead;

    MailConnection(Socket socket, Deadline deadline) throws IOException {
        this.deadline = deadline;
        use(socket);
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
    }

    /**
     * Sends a line given as bytes (CR LF is added), so that a line carrying a credential never becomes a
     * String; the caller zeroes the array.
     */
    public void writeLine(byte[] line) throws IOException {
        out.write(line);
        out.write(CRLF);
        out.flush();
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
        long left = deadline.remainingMillis();
        if (left <= 0) {
            throw timeout(waitingFor);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        int n;
        try {
            n = in.read(buf, 0, (int) Math.min(buf.length, MAX_TOTAL - totalRead));
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

    /** Bounds the reads from now on by this deadline instead (a step's own budget, then the probe's again). */
    void deadline(Deadline d) {
        deadline = d;
    }

    /** Brings the deadline forward, e.g. for the polite goodbye, which must never cost the caller much time. */
    void shortenDeadline(java.time.Duration max) {
        deadline = deadline.min(Deadline.after(max));
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
