package org.mailsetup.providerdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry file as read from a directory or from the jar.
 *
 * @param name    the file name, e.g. {@code gmail.com.xml}; the entry's id must equal it without {@code .xml}
 * @param label   how to name the file in messages (the path as given, or the name for bundled entries)
 * @param content the raw bytes
 */
public record ProviderFile(String name, String label, byte[] content) {

    /** Where the bundled entries and their listing live on the class path. */
    static final String BUNDLED_DIR = "/org/mailsetup/providerdb/providers/";
    /** Written at build time (see provider-db/pom.xml) so no directory inside a jar has to be listed. */
    static final String BUNDLED_LISTING = BUNDLED_DIR + "index.txt";

    /** The file name without {@code .xml}. */
    public String stem() {
        return name.endsWith(".xml") ? name.substring(0, name.length() - 4) : name;
    }

    /** Every {@code *.xml} file directly in dir, sorted by name. */
    public static List<ProviderFile> readDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.xml")) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    paths.add(p);
                }
            }
        }
        paths.sort(null);
        List<ProviderFile> files = new ArrayList<>(paths.size());
        for (Path p : paths) {
            files.add(new ProviderFile(p.getFileName().toString(), p.toString(), Files.readAllBytes(p)));
        }
        return files;
    }

    /** The entries packaged with this module, in the order of the build-time listing. */
    public static List<ProviderFile> readBundled() {
        List<ProviderFile> files = new ArrayList<>();
        for (String name : bundledNames()) {
            try (InputStream in = ProviderFile.class.getResourceAsStream(BUNDLED_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("bundled provider entry " + name + " is listed in "
                            + BUNDLED_LISTING + " but missing from the class path");
                }
                files.add(new ProviderFile(name, name, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled provider entry " + name, e);
            }
        }
        return files;
    }

    /** The file names in the build-time listing. */
    public static List<String> bundledNames() {
        try (InputStream in = ProviderFile.class.getResourceAsStream(BUNDLED_LISTING)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED_LISTING + " is missing from the class path; "
                        + "the provider-db build writes it (process-resources)");
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                String name = line.strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUNDLED_LISTING, e);
        }
    }
}
