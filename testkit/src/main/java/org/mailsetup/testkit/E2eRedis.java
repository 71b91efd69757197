package org.mailsetup.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis that {@code scripts/e2e-servers.sh start} runs on 127.0.10.9:6379 (no persistence), and the
 * {@code redis-server} binary it comes from, for tests that start and kill a Redis of their own. Like
 * {@link E2eServers}, tests skip when it is missing, unless {@code -Dmailsetup.e2e.required=true}
 * ({@code -Pe2e}) makes that a failure.
 */
public final class E2eRedis {

    public static final String ADDRESS = "127.0.10.9";
    public static final int PORT = 6379;

    private E2eRedis() {
    }

    /** The URL of the script's Redis. */
    public static String url() {
        return "redis://" + ADDRESS + ":" + PORT + "/0";
    }

    /** Skips (or, when required, fails) the calling test unless the script's Redis answers. */
    public static void assumeRunning() {
        if (!answers(ADDRESS, PORT)) {
            skipOrFail("Redis is not running on " + ADDRESS + ":" + PORT + "; start it with "
                    + "'sudo scripts/e2e-servers.sh start' (or start-redis)");
        }
    }

    /** The {@code redis-server} binary on the PATH; skips (or fails) the calling test without one. */
    public static Path serverBinary() {
        Optional<Path> found = Optional.empty();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(p)) {
                found = Optional.of(p);
                break;
            }
        }
        if (found.isEmpty()) {
            skipOrFail("redis-server is not installed (apt-get install -y redis-server; "
                    + "'sudo scripts/e2e-servers.sh start' installs it)");
        }
        return found.orElseThrow();
    }

    private static void skipOrFail(String message) {
        if (Boolean.getBoolean("mailsetup.e2e.required")) {
            fail(message + " (required: -Pe2e / mailsetup.e2e.required=true)");
        }
        Assumptions.abort(message);
    }

    /** True when something accepts connections there. */
    public static boolean answers(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
