package org.mailsetup.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.mailsetup.DiscoveryResult;
import org.mailsetup.MailSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code mailsetup lookup EMAIL}: the settings for one address, as a table or JSON. */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = "Find and verify the mail settings for an email address.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:settings found", "1:lookup failed (the JSON or message says why)", "2:invalid command line"})
public final class LookupCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Spec
    CommandSpec spec;

    @Mixin
    DiscoveryOptions options;

    @Option(names = "--json", description = "Print the result as JSON (the same shape as the HTTP API).")
    boolean json;

    @Parameters(paramLabel = "EMAIL", description = "The email address to look up.")
    String email;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (MailSetup mailSetup = options.toBuilder().build()) {
            DiscoveryResult r = mailSetup.lookupBlocking(email);
            if (json) {
                out.println(JSON.writeValueAsString(r));
            } else {
                out.print(ResultTable.render(r));
            }
            out.flush();
            return r.isSuccess() ? 0 : 1;
        }
    }
}
