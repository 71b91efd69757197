package org.mailsetup.providerdb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.ParserConfigurationException;
import org.mailsetup.config.ClientConfigParser;
import org.mailsetup.config.SafeXml;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Where an entry's facts come from and when they were written and proven: its {@code <documentation>}
 * links and {@code ms:source} elements, {@code ms:added} (written from the sources) and
 * {@code ms:lastVerified} (a live check of every server passed). The lookup never needs these; the
 * contributor tools do.
 *
 * @param id           the entry's id (its file name without {@code .xml})
 * @param sources      documentation links first, then {@code ms:source} elements, in document order
 * @param added        when the entry was last written from its sources, or null
 * @param lastVerified when {@code db check --update} last proved every server, or null
 */
public record Provenance(String id, List<Source> sources, LocalDate added, LocalDate lastVerified) {

    /** The values of {@code ms:source/@type}. */
    public static final Set<String> SOURCE_TYPES = Set.of("provider", "reference");

    public Provenance {
        sources = List.copyOf(sources);
    }

    /** What kind of page a source is. */
    public enum Kind {
        /** A {@code <documentation url>}: the provider's own page. */
        DOCUMENTATION,
        /** {@code ms:source type="provider"}: another page of the provider's own. */
        PROVIDER,
        /** {@code ms:source type="reference"}: a public reference, not the provider's own word. */
        REFERENCE
    }

    /** One source of an entry. */
    public record Source(Kind kind, String url, String text) {
    }

    /** The kind this entry's facts rest on: the provider's own pages when it has any, else the reference. */
    public Kind strongest() {
        return sources.stream().map(Source::kind).min(Enum::compareTo).orElse(null);
    }

    /** Reads the provenance of an entry file; an unreadable file has none (the validator says why). */
    public static Provenance of(ProviderFile file) {
        Reader r = new Reader();
        try {
            SafeXml.saxParserFactory().newSAXParser().parse(
                    new InputSource(new ByteArrayInputStream(file.content())), r);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return new Provenance(file.stem(), List.of(), null, null);
        }
        List<Source> all = new ArrayList<>(r.documentation);
        all.addAll(r.sources);
        return new Provenance(file.stem(), all, date(r.added), date(r.lastVerified));
    }

    private static LocalDate date(StringBuilder text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.toString().strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final Pattern LAST_VERIFIED = Pattern.compile("<ms:lastVerified>[^<]*</ms:lastVerified>");
    private static final Pattern PROVIDER_END = Pattern.compile("\\n([ \\t]*)</emailProvider>");

    /**
     * The entry with {@code ms:lastVerified} set to date: the existing element's text replaced, or a new
     * element added as the last child of {@code emailProvider}. A text edit, so the file keeps its layout
     * and comments; the caller validates the result.
     */
    public static byte[] withLastVerified(byte[] entry, LocalDate date) {
        String xml = new String(entry, StandardCharsets.UTF_8);
        String element = "<ms:lastVerified>" + date + "</ms:lastVerified>";
        Matcher existing = LAST_VERIFIED.matcher(xml);
        if (existing.find()) {
            return (xml.substring(0, existing.start()) + element + xml.substring(existing.end()))
                    .getBytes(StandardCharsets.UTF_8);
        }
        Matcher end = PROVIDER_END.matcher(xml);
        if (!end.find()) {
            throw new IllegalArgumentException("no </emailProvider> on a line of its own");
        }
        String indent = end.group(1) + "  ";
        String ns = xml.contains("xmlns:ms=\"" + ClientConfigParser.EXTENSION_NAMESPACE + "\"") ? ""
                : " xmlns:ms=\"" + ClientConfigParser.EXTENSION_NAMESPACE + "\"";
        String line = "\n" + indent + element.replace("<ms:lastVerified>", "<ms:lastVerified" + ns + ">");
        return (xml.substring(0, end.start()) + line + xml.substring(end.start())).getBytes(StandardCharsets.UTF_8);
    }

    private static final class Reader extends DefaultHandler {
        final List<Source> documentation = new ArrayList<>();
        final List<Source> sources = new ArrayList<>();
        StringBuilder added;
        StringBuilder lastVerified;
        private StringBuilder text;
        private String sourceType;
        private String sourceUrl;

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) {
            text = null;
            if (uri.isEmpty() && local.equals("documentation") && atts.getValue("url") != null) {
                documentation.add(new Source(Kind.DOCUMENTATION, atts.getValue("url").strip(), null));
            } else if (ClientConfigParser.EXTENSION_NAMESPACE.equals(uri)) {
                switch (local) {
                    case "source" -> {
                        sourceType = atts.getValue("type");
                        sourceUrl = atts.getValue("url");
                        text = new StringBuilder();
                    }
                    case "added" -> text = added = new StringBuilder();
                    case "lastVerified" -> text = lastVerified = new StringBuilder();
                    default -> {
                    }
                }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (text != null) {
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String local, String qName) {
            if (ClientConfigParser.EXTENSION_NAMESPACE.equals(uri) && local.equals("source") && sourceUrl != null) {
                Kind kind = "reference".equals(sourceType) ? Kind.REFERENCE : Kind.PROVIDER;
                String t = text.toString().strip();
                sources.add(new Source(kind, sourceUrl.strip(), t.isEmpty() ? null : t));
            }
            text = null;
        }
    }
}
