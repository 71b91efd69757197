package org.mailsetup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Rules of the code's structure that the compiler does not check, read from the main sources of every module. */
class ArchitectureTest {

    private static final List<String> MODULES = List.of("core", "provider-db", "formats", "service");

    /** Ways to open a connection: a plain socket, a channel, or an SSL socket dialled by host name. */
    private static final Pattern OPENS_A_CONNECTION = Pattern.compile(
            "new\\s+Socket\\s*\\(|SocketChannel\\s*\\.\\s*open\\s*\\(|\\.createSocket\\s*\\(\\s*(?![\\w.]*socket\\(\\)\\s*,)"
                    + "(?!\\))");

    /** An import of, or a qualified reference to, a type in org.mailsetup.internal. */
    private static final Pattern USES_INTERNAL = Pattern.compile("org\\.mailsetup\\.internal(\\.[a-z]\\w*)+\\.[A-Z]");

    @Test
    void onlyTheNetworkDoorOpensConnections() throws IOException {
        Path door = Path.of("core/src/main/java/org/mailsetup/internal/net");
        List<String> offenders = new ArrayList<>();
        for (Path file : mainSources()) {
            if (root().relativize(file).startsWith(door)) {
                continue;
            }
            String[] lines = Files.readString(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (OPENS_A_CONNECTION.matcher(lines[i]).find()) {
                    offenders.add(root().relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertThat(offenders).as("connections may be opened only in internal/net (the Dialer)").isEmpty();
    }

    @Test
    void theGuardSeesWhatItGuards() {
        assertThat(OPENS_A_CONNECTION.matcher("Socket s = new Socket();").find()).isTrue();
        assertThat(OPENS_A_CONNECTION.matcher("var c = SocketChannel.open(address);").find()).isTrue();
        assertThat(OPENS_A_CONNECTION.matcher("factory.createSocket(host, 993)").find()).isTrue();
        // Layering TLS over a connection the dialer opened is fine.
        assertThat(OPENS_A_CONNECTION.matcher("factory.createSocket(conn.socket(), host, port, true)").find()).isFalse();
    }

    @Test
    void publicTypesImportNothingInternal() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (String pkg : List.of("org/mailsetup", "org/mailsetup/config")) {
            Path dir = root().resolve("core/src/main/java").resolve(pkg);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(f);
                    String name = f.getFileName().toString().replace(".java", "");
                    // MailSetup is where the internals are put together; it may use them, not show them.
                    if (USES_INTERNAL.matcher(source).find() && !name.equals("MailSetup")) {
                        offenders.add(root().relativize(f).toString());
                    }
                    if (!name.equals("package-info")) {
                        offenders.addAll(internalTypesIn(Class.forName(pkg.replace('/', '.') + "." + name)));
                    }
                }
            }
        }
        assertThat(offenders).as("public API types that use org.mailsetup.internal").isEmpty();
    }

    /** Internal types that appear in the public signatures of a type (and its nested types). */
    private static List<String> internalTypesIn(Class<?> type) {
        List<String> found = new ArrayList<>();
        if (!Modifier.isPublic(type.getModifiers())) {
            return found;
        }
        List<Type> used = new ArrayList<>();
        for (Method m : type.getMethods()) {
            used.add(m.getGenericReturnType());
            used.addAll(List.of(m.getGenericParameterTypes()));
        }
        for (Constructor<?> c : type.getConstructors()) {
            used.addAll(List.of(c.getGenericParameterTypes()));
        }
        for (Field f : type.getFields()) {
            used.add(f.getGenericType());
        }
        for (Type t : used) {
            if (t.getTypeName().contains("org.mailsetup.internal.")) {
                found.add(type.getName() + " shows " + t.getTypeName());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            found.addAll(internalTypesIn(nested));
        }
        return found;
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> files = Files.walk(root().resolve(module).resolve("src/main/java"))) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
            }
        }
        return out;
    }

    /** The project root: tests run in the module directory. */
    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("core")) && Files.isDirectory(p.resolve("formats"))) {
                return p;
            }
        }
        throw new UncheckedIOException(new IOException("no project root above " + here));
    }
}
