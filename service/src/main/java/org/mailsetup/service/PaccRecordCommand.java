package org.mailsetup.service;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mailsetup.EmailAddress;
import org.mailsetup.InvalidEmailException;
import org.mailsetup.format.PaccDocument;
import org.mailsetup.service.http.OwnEntries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mailsetup pacc-record DOMAIN --own-entries DIR}: the DNS TXT record that lets PACC clients
 * check the document {@code serve} publishes for the domain (the digest of exactly those bytes).
 */
@Command(name = "pacc-record", mixinStandardHelpOptions = true,
        description = "Print the _ua-auto-config TXT record for a domain served with --own-entries.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:record printed", "1:the domain has no PACC document", "2:invalid command line"})
public final class PaccRecordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", description = "The email domain.")
    String domain;

    @Option(names = "--own-entries", paramLabel = "DIR", required = true, defaultValue = "${env:MAILSETUP_OWN_ENTRIES}",
            description = "The directory given to serve --own-entries (env MAILSETUP_OWN_ENTRIES).")
    Path ownEntries;

    @Option(names = "--value", description = "Print only the record's value, not a zone-file line.")
    boolean valueOnly;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String ascii;
        try {
            // The same IDNA rules as lookups, so the record name matches what clients query.
            ascii = EmailAddress.parse("postmaster@" + domain).domain();
        } catch (InvalidEmailException e) {
            err.println("pacc-record: " + e.getMessage());
            return 2;
        }
        OwnEntries own = OwnEntries.load(ownEntries);
        Optional<byte[]> doc = own.pacc(ascii);
        if (doc.isEmpty()) {
            err.println("pacc-record: " + (own.entry(ascii).isEmpty()
                    ? ascii + " is not listed in " + ownEntries
                    : "no document for " + ascii + ": " + own.paccProblem(ascii)));
            return 1;
        }
        String value = PaccDocument.txtRecord(doc.get());
        out.println(valueOnly ? value : "_ua-auto-config." + ascii + ". IN TXT \"" + value + "\"");
        out.flush();
        return 0;
    }
}
