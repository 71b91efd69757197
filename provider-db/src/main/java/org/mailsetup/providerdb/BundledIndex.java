package org.mailsetup.providerdb;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.mailsetup.config.ClientConfig;
import org.mailsetup.config.InvalidConfigException;

/**
 * The bundled entries as the build parsed them: the {@link ClientConfig} records bound by Jackson, in
 * its binary JSON format (Smile), in the order of the listing. The XML files stay the source of truth;
 * loading this instead of parsing them spares every start the XML parser (BENCHMARKS.md, section 5).
 * Jackson binds every record component, so a component added to the model travels without code here,
 * and {@code BundledIndexTest} proves that the index and the XML give equal entries.
 */
final class BundledIndex {

    /** Written by the build (provider-db/pom.xml, process-classes) next to the entries. */
    static final String RESOURCE = ProviderFile.BUNDLED_DIR + "entries.smile";

    private BundledIndex() {
    }

    /** The entries, as {@link #main} wrote them. */
    static List<ClientConfig> read() {
        try (InputStream in = BundledIndex.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path; "
                        + "the provider-db build writes it (process-classes)");
            }
            return decode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static byte[] encode(List<ClientConfig> entries) throws IOException {
        return mapper().writeValueAsBytes(entries);
    }

    static List<ClientConfig> decode(byte[] index) throws IOException {
        return List.of(mapper().readValue(index, ClientConfig[].class));
    }

    /** The bundled XML entries, parsed the way the database always read them. */
    static List<ClientConfig> parseBundledXml() throws InvalidConfigException {
        List<ClientConfig> entries = new ArrayList<>();
        for (ProviderFile f : ProviderFile.readBundled()) {
            try {
                entries.add(ProviderDatabase.parse(f));
            } catch (InvalidConfigException e) {
                throw new InvalidConfigException(f.name() + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    // One mapper per call: the index is read once per process, and a static one would stay in memory.
    private static ObjectMapper mapper() {
        // LocalDate (lastVerified) as its ISO text: the one type here Jackson 2 does not bind by itself.
        SimpleModule dates = new SimpleModule()
                .addSerializer(LocalDate.class, ToStringSerializer.instance)
                .addDeserializer(LocalDate.class, new StdDeserializer<>(LocalDate.class) {
                    @Override
                    public LocalDate deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                        return LocalDate.parse(p.getValueAsString());
                    }
                });
        return new ObjectMapper(new SmileFactory()).registerModule(dates);
    }

    /** The build step: parses the bundled XML entries (from the class path) and writes the index to args[0]. */
    public static void main(String[] args) throws IOException {
        try {
            Path out = Path.of(args[0]);
            Files.createDirectories(out.getParent());
            Files.write(out, encode(parseBundledXml()));
        } catch (InvalidConfigException e) {
            System.err.println("provider entry " + e.getMessage());
            System.exit(1);
        }
    }
}
