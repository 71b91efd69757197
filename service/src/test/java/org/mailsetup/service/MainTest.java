package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionNamesTheReleaseAndTheCommitTheBuildWasMadeFrom() {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).execute("--version");

        assertThat(exit).isZero();
        // the commit is "unknown" only when the sources were built outside a git checkout
        assertThat(out.toString()).matches("(?s)mailsetup \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)\\)\\R"
                + "Java \\d+.*\\R");
        assertThat(out.toString()).doesNotContain("${");
    }

    @Test
    void aNamedSubcommandIsTheOnlyOneRegisteredAndHelpOrAMistakeGetsThemAll() {
        assertThat(Main.commandLine("lookup", "--no-verify", "alice@example.org").getSubcommands()).containsOnlyKeys("lookup");
        assertThat(Main.commandLine("db", "show", "example.org").getSubcommands()).containsOnlyKeys("db");
        assertThat(Main.commandLine("db").getSubcommands().get("db").getSubcommands()).containsKeys("show", "check");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "lookup"}, {"lokup", "alice@example.org"}}) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactly("help", "lookup", "check", "db", "serve", "pacc-record");
        }
    }

    @Test
    void aMistypedSubcommandIsAnsweredWithTheKnownOnes() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLine("lokup").setErr(new PrintWriter(err)).execute("lokup");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("lokup").contains("lookup");
    }

    @Test
    void onlyTheCommandsThatUseTheProviderDatabaseStartLoadingIt() {
        assertThat(Main.usesProviderDatabase("lookup", "--no-verify", "alice@example.org")).isTrue();
        assertThat(Main.usesProviderDatabase("db", "show", "example.org")).isTrue();
        assertThat(Main.usesProviderDatabase("check", "alice@example.org")).isTrue();
        assertThat(Main.usesProviderDatabase("--version")).isFalse();
        assertThat(Main.usesProviderDatabase("serve", "--port", "0")).isFalse();
        assertThat(Main.usesProviderDatabase("pacc-record", "example.org")).isFalse();
        assertThat(Main.usesProviderDatabase()).isFalse();
    }
}
