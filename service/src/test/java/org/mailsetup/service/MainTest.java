package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void versionNamesTheReleaseAndTheCommitTheBuildWasMadeFrom() {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--version");

        assertThat(exit).isZero();
        // the commit is "unknown" only when the sources were built outside a git checkout
        assertThat(out.toString()).matches("(?s)mailsetup \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{12}|unknown)\\)\\R"
                + "Java \\d+.*\\R");
        assertThat(out.toString()).doesNotContain("${");
    }

    @Test
    void onlyTheCommandsThatUseTheProviderDatabaseStartLoadingIt() {
        assertThat(Main.usesProviderDatabase("lookup", "--no-verify", "alice@example.org")).isTrue();
        assertThat(Main.usesProviderDatabase("db", "show", "example.org")).isTrue();
        assertThat(Main.usesProviderDatabase("--version")).isFalse();
        assertThat(Main.usesProviderDatabase("serve", "--port", "0")).isFalse();
        assertThat(Main.usesProviderDatabase("pacc-record", "example.org")).isFalse();
        assertThat(Main.usesProviderDatabase()).isFalse();
    }
}
