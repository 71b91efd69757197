package org.mailsetup.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mail server on a loopback address that plays a fixed script to every connection: send a line,
 * expect a line, start TLS, sleep, close, or stay silent. Good and broken servers (PREAUTH, stripped
 * STARTTLS, injected plaintext, silence, floods, bad certificates) are a few lines of script each.
 *
 * <pre>{@code
 * try (var server = ScriptedMailServer.builder()
 *         .send("* OK ready")
 *         .expect("a1 CAPABILITY")
 *         .send("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED")
 *         .send("a1 OK done")
 *         .expect("a2 STARTTLS")
 *         .send("a2 OK begin TLS")
 *         .startTls(serverContext)
 *         ...
 *         .start()) {
 *     probe(server.port());
 * }
 * }</pre>
 *
 * <p>After the last step the server keeps reading (and recording) what the client sends until the client
 * hangs up. Lines are recorded without CR LF in {@link #received()}; script mismatches and I/O errors in
 * {@link #errors()}. Loopback only: binding any other address is refused.
 */
public final class ScriptedMailServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptedMailServer.class);
    /** Connections that the test forgot about must not keep threads alive forever. */
    private static final int IDLE_TIMEOUT_MS = 60_000;

    private final List<Step> script;
    private final SSLContext implicitTls;
    private final ServerSocket server;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean closed;

    private ScriptedMailServer(Builder b) throws IOException {
        this.script = List.copyOf(b.steps);
        this.implicitTls = b.implicitTls;
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(b.address, b.port), 50);
        this.server = ss;
        Thread.ofPlatform().daemon().name("scripted-mail-" + b.address.getHostAddress() + ":" + ss.getLocalPort())
                .start(this::acceptLoop);
        log.debug("scripted mail server on {}:{}", b.address.getHostAddress(), ss.getLocalPort());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetAddress address() {
        return server.getInetAddress();
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(address(), port());
    }

    /** Every line the clients sent, in order of arrival, without CR LF. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Script mismatches and I/O errors on the server side, e.g. "expected 'a1 CAPABILITY', got 'x'". */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Waits until every accepted connection has ended; false if some are still open after the timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (active.get() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    errors.add("accept failed: " + e);
                }
                return;
            }
            connections.incrementAndGet();
            active.incrementAndGet();
            open.add(s);
            workers.execute(() -> {
                try {
                    serve(s);
                } finally {
                    open.remove(s);
                    closeQuietly(s);
                    active.decrementAndGet();
                }
            });
        }
    }

    private void serve(Socket plain) {
        Conn c = new Conn(plain);
        try {
            plain.setSoTimeout(IDLE_TIMEOUT_MS);
            if (implicitTls != null) {
                c.upgrade(implicitTls);
            }
            for (Step step : script) {
                if (!step.run(c, this)) {
                    return;
                }
            }
            // Record whatever the client says next (LOGOUT, QUIT, or something it should never send).
            while (c.readLine() != null) {
                // recorded by readLine
            }
        } catch (IOException e) {
            if (!closed) {
                errors.add("I/O error: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection: unbuffered reads, so a TLS upgrade never loses bytes read ahead. */
    private final class Conn {
        Socket socket;
        InputStream in;
        OutputStream out;

        Conn(Socket s) {
            use(s);
        }

        void use(Socket s) {
            socket = s;
            try {
                in = s.getInputStream();
                out = s.getOutputStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        void upgrade(SSLContext ctx) throws IOException {
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, null, true);
            ssl.setUseClientMode(false);
            open.add(ssl);
            ssl.startHandshake();
            use(ssl);
        }

        /** A line without CR LF, or null at end of stream. */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    String s = new String(bytes, 0, len, StandardCharsets.UTF_8);
                    received.add(s);
                    return s;
                }
                if (line.size() > 1_000_000) {
                    throw new IOException("client line longer than 1 MB");
                }
                line.write(b);
            }
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }

    /** One step of the script; false ends the conversation (the connection is closed). */
    private interface Step {
        boolean run(Conn c, ScriptedMailServer server) throws IOException, InterruptedException;
    }

    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private InetAddress address;
        private int port;
        private SSLContext implicitTls;

        private Builder() {
            try {
                address = InetAddress.getByName("127.0.0.1");
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Listens on this loopback address and port (0 = ephemeral), e.g. 127.0.10.7:993. */
        public Builder bind(String loopbackAddress, int port) {
            try {
                InetAddress a = InetAddress.getByName(loopbackAddress);
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException(loopbackAddress + " is not a loopback address");
                }
                this.address = a;
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(loopbackAddress + " is not an address literal", e);
            }
            this.port = port;
            return this;
        }

        /** Does a TLS handshake (server side) as soon as a client connects, before the script. */
        public Builder implicitTls(SSLContext serverContext) {
            this.implicitTls = serverContext;
            return this;
        }

        /** Sends the line followed by CR LF. */
        public Builder send(String line) {
            return sendRaw(line + "\r\n");
        }

        /** Sends exactly this text (UTF-8) in one write, e.g. two lines at once or a line without CR LF. */
        public Builder sendRaw(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            steps.add((c, s) -> {
                c.write(bytes);
                return true;
            });
            return this;
        }

        /**
         * Reads one line and requires it to match the regular expression (whole line, case-insensitive);
         * on a mismatch or end of stream the server records an error and hangs up.
         */
        public Builder expect(String regex) {
            Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
            steps.add((c, s) -> {
                String line = c.readLine();
                if (line == null) {
                    s.errors.add("expected '" + regex + "', got end of stream");
                    return false;
                }
                if (!p.matcher(line).matches()) {
                    s.errors.add("expected '" + regex + "', got '" + line + "'");
                    return false;
                }
                return true;
            });
            return this;
        }

        /** Upgrades the connection: server-side TLS handshake with this context. */
        public Builder startTls(SSLContext serverContext) {
            steps.add((c, s) -> {
                c.upgrade(serverContext);
                return true;
            });
            return this;
        }

        /** Reads the client's first TLS record (the ClientHello) and hangs up in the middle of the handshake. */
        public Builder dropTlsHandshake() {
            return readTlsRecord().close();
        }

        /** Reads one TLS record from the client (e.g. its ClientHello) without answering it. */
        public Builder readTlsRecord() {
            steps.add((c, s) -> {
                byte[] header = c.in.readNBytes(5);
                if (header.length < 5) {
                    return false;
                }
                int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                return c.in.readNBytes(len).length == len;
            });
            return this;
        }

        /** Sends the bytes one at a time, {@code every} apart (a slowloris server: alive, never done). */
        public Builder trickle(byte[] bytes, Duration every) {
            steps.add((c, s) -> {
                for (byte b : bytes) {
                    c.write(new byte[] {b});
                    Thread.sleep(every.toMillis());
                }
                return true;
            });
            return this;
        }

        /**
         * From here on answers every line the client sends with {@code replies.apply(line)} until the client hangs
         * up: several lines separated by {@code \n}, {@code ""} to say nothing, null to hang up. For servers whose
         * answer depends on what the client sent (a probe's LOGOUT and a login on the same script).
         */
        public Builder answer(Function<String, String> replies) {
            steps.add((c, s) -> {
                String line;
                while ((line = c.readLine()) != null) {
                    String reply = replies.apply(line);
                    if (reply == null) {
                        return false;
                    }
                    if (!reply.isEmpty()) {
                        c.write((reply.replace("\n", "\r\n") + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                return false;
            });
            return this;
        }

        public Builder sleep(Duration d) {
            steps.add((c, s) -> {
                Thread.sleep(d.toMillis());
                return true;
            });
            return this;
        }

        /** Hangs up. */
        public Builder close() {
            steps.add((c, s) -> false);
            return this;
        }

        /** Accepts and never says a word: reads and discards until the client gives up. */
        public Builder neverSpeak() {
            steps.add((c, s) -> {
                try {
                    while (c.in.read() >= 0) {
                        // discard
                    }
                } catch (SocketException e) {
                    // the client or close() hung up
                }
                return false;
            });
            return this;
        }

        public ScriptedMailServer start() throws IOException {
            return new ScriptedMailServer(this);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to save
        }
    }
}
