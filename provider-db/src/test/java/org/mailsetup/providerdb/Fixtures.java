package org.mailsetup.providerdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test fixtures under src/test/resources: valid/ (three entries) and invalid/ (one problem each). */
final class Fixtures {

    /** 2025-06-01 12:00 UTC: the fixtures' lastVerified dates are judged against this. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file labelled by its bare name, so messages do not depend on where the checkout lives. */
    static ProviderFile file(String dir, String name) {
        try {
            return new ProviderFile(name, name, Files.readAllBytes(dir(dir).resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every *.xml file of a fixture directory, labelled "dir/name". */
    static List<ProviderFile> files(String dir) {
        try {
            return ProviderFile.readDirectory(dir(dir)).stream()
                    .map(f -> new ProviderFile(f.name(), Path.of(dir).getFileName() + "/" + f.name(), f.content()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
