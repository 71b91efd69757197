package org.mailsetup.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.MailSetup;
import org.mailsetup.ServerSettings;

/**
 * {@code mailsetup lookup -} (or a file): many addresses, one per line, looked up concurrently with a
 * bound. Results are printed in input order as soon as each is known, one JSON object per line or CSV.
 * Blank lines and lines starting with {@code #} are skipped. Whatever happens to one line becomes that
 * line's record; the run always goes on to the end of the input.
 */
public final class BatchLookup {

    private static final ObjectMapper JSON = ContractJson.mapper();

    static final List<String> CSV_COLUMNS = List.of("email", "domain", "status", "message", "provider",
            "incoming_protocol", "incoming_host", "incoming_port", "incoming_security", "incoming_verified",
            "outgoing_host", "outgoing_port", "outgoing_security", "outgoing_verified", "elapsed_ms");

    private final MailSetup mailSetup;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean csv;
    private final Progress progress;
    private final Semaphore slots;
    /** The longest line kept: far beyond any address (254 octets), short enough that no input exhausts memory. */
    static final int MAX_LINE = 1024;

    // Lines in input order; the head is printed as soon as it is done. Guarded by itself.
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger();

    private record Line(String input, CompletableFuture<DiscoveryResult> result) {
    }

    private BatchLookup(MailSetup mailSetup, PrintStream out, PrintStream err, boolean csv, int parallel,
                        boolean showProgress) {
        this.mailSetup = mailSetup;
        this.out = out;
        this.err = err;
        this.csv = csv;
        this.slots = new Semaphore(parallel);
        this.progress = showProgress ? new Progress(err) : null;
    }

    /**
     * Looks up every address read from {@code in}; shows a progress line on {@code err} only when
     * stderr is a terminal.
     *
     * @return 0 when every lookup found settings, 1 when some did not (a line on {@code err} says how
     *         many), 2 when the input could not be read
     */
    public static int run(MailSetup ms, Reader in, PrintStream out, PrintStream err, boolean csv, int parallel) {
        return run(ms, in, out, err, csv, parallel, stderrIsTerminal());
    }

    /** As {@link #run(MailSetup, Reader, PrintStream, PrintStream, boolean, int)}, choosing about progress. */
    public static int run(MailSetup ms, Reader in, PrintStream out, PrintStream err, boolean csv, int parallel,
                          boolean showProgress) {
        if (parallel < 1) {
            throw new IllegalArgumentException("--parallel must be at least 1");
        }
        return new BatchLookup(ms, out, err, csv, parallel, showProgress).run(in);
    }

    private int run(Reader in) {
        if (csv) {
            out.println(String.join(",", CSV_COLUMNS));
        }
        int status = 0;
        try (BufferedReader lines = new BufferedReader(in)) {
            String line;
            while ((line = readLine(lines)) != null) {
                String address = line.strip();
                if (address.isEmpty() || address.startsWith("#")) {
                    continue;
                }
                slots.acquire();
                CompletableFuture<DiscoveryResult> f;
                try {
                    f = mailSetup.lookup(address);
                } catch (RuntimeException | StackOverflowError e) {
                    // lookup promises an answer for any input; should it break that promise, only this line fails.
                    f = CompletableFuture.failedFuture(e);
                }
                synchronized (pending) {
                    pending.addLast(new Line(address, f));
                }
                total.incrementAndGet();
                if (progress != null) {
                    progress.submitted();
                }
                f.whenComplete((r, e) -> {
                    slots.release();
                    drain();
                });
            }
        } catch (IOException e) {
            err.println("mailsetup lookup: could not read the addresses: " + e.getMessage());
            status = 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 2;
        }
        // Wait for what is still running, then print the rest in order.
        List<CompletableFuture<DiscoveryResult>> rest = new ArrayList<>();
        synchronized (pending) {
            pending.forEach(l -> rest.add(l.result()));
        }
        CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        drain();
        if (progress != null) {
            progress.finish();
        }
        out.flush();
        if (failed.get() > 0) {
            err.println("mailsetup lookup: " + failed.get() + " of " + total.get() + " addresses found no settings");
        }
        return status != 0 ? status : failed.get() > 0 ? 1 : 0;
    }

    /** A line of at most {@link #MAX_LINE} characters (the rest of a longer one is read and dropped), or null at the end. */
    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                // CR LF, or a lone CR, ends the line, as BufferedReader.readLine has it.
                in.mark(1);
                if (in.read() != '\n') {
                    in.reset();
                }
                return whole(b);
            }
            if (c == '\n') {
                return whole(b);
            }
            if (b.length() < MAX_LINE) {
                b.append((char) c);
            }
        }
        return b.isEmpty() ? null : whole(b);
    }

    // A line cut at the limit must not end in half a surrogate pair.
    private static String whole(StringBuilder b) {
        if (b.length() == MAX_LINE && Character.isHighSurrogate(b.charAt(MAX_LINE - 1))) {
            b.setLength(MAX_LINE - 1);
        }
        return b.toString();
    }

    /** Prints every finished result at the head of the queue; safe to call from any thread. */
    private void drain() {
        synchronized (pending) {
            while (!pending.isEmpty() && pending.peekFirst().result().isDone()) {
                Line line = pending.pollFirst();
                DiscoveryResult r = line.result().exceptionally(e -> null).join();
                String record = null;
                if (r != null) {
                    try {
                        record = csv ? csvRow(r) : JSON.writeValueAsString(r);
                    } catch (RuntimeException | JsonProcessingException e) {
                        r = null;
                    }
                }
                if (r == null || !r.isSuccess()) {
                    failed.incrementAndGet();
                }
                out.println(record != null ? record : failureRecord(line.input()));
                if (progress != null) {
                    progress.done(r != null && r.isSuccess());
                }
            }
        }
    }

    /** The record of a line whose lookup failed in an unforeseen way: the input and an internal-error code. */
    private String failureRecord(String input) {
        String code = "internal-error";
        String message = "the lookup failed unexpectedly; the other lines are not affected";
        if (csv) {
            List<String> cells = new ArrayList<>(List.of(input, "", code, message));
            while (cells.size() < CSV_COLUMNS.size()) {
                cells.add("");
            }
            return String.join(",", cells.stream().map(BatchLookup::csvCell).toList());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("email", input);
        o.putObject("error").put("code", code).put("message", message);
        return o.toString();
    }

    static String csvRow(DiscoveryResult r) {
        Optional<ServerSettings> in = r.bestIncoming();
        Optional<ServerSettings> outgoing = r.bestOutgoing();
        List<String> cells = List.of(
                r.email(),
                nz(r.domain()),
                r.error() == null ? "ok" : r.error().code().id(),
                r.error() == null ? "" : r.error().message(),
                r.provider() == null ? "" : r.provider().name(),
                in.map(s -> s.protocol().jsonName()).orElse(""),
                in.map(ServerSettings::host).orElse(""),
                in.map(s -> Integer.toString(s.port())).orElse(""),
                in.map(s -> s.security().jsonName()).orElse(""),
                in.map(s -> Boolean.toString(s.verified())).orElse(""),
                outgoing.map(ServerSettings::host).orElse(""),
                outgoing.map(s -> Integer.toString(s.port())).orElse(""),
                outgoing.map(s -> s.security().jsonName()).orElse(""),
                outgoing.map(s -> Boolean.toString(s.verified())).orElse(""),
                Long.toString(r.elapsedMs()));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(csvCell(cells.get(i)));
        }
        return sb.toString();
    }

    // RFC 4180: quote a cell holding a comma, quote or line break, doubling the quotes inside.
    static String csvCell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** True when stderr is an interactive terminal (JDK 22+ can tell; older JDKs: a console exists). */
    static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Console.isTerminal() exists from JDK 22; compiled for 21, so look it up.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** A one-line progress display on a terminal, redrawn at most ten times a second. */
    private static final class Progress {
        private final PrintStream err;
        private int submitted;
        private int done;
        private int ok;
        private long lastDraw;

        Progress(PrintStream err) {
            this.err = err;
        }

        synchronized void submitted() {
            submitted++;
            draw(false);
        }

        synchronized void done(boolean success) {
            done++;
            if (success) {
                ok++;
            }
            draw(false);
        }

        synchronized void finish() {
            draw(true);
            err.print("\n");
            err.flush();
        }

        private void draw(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = submitted == 0 ? 0 : (int) ((long) done * width / submitted);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + submitted
                    + " done, " + ok + " found, " + (done - ok) + " not found ");
            err.flush();
        }
    }
}
