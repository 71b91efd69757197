package org.mailsetup.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScriptedMailServerTest {

    @Test
    void playsTheScriptAndRecordsWhatTheClientSaid() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .send("* OK hello")
                .expect("a1 capability")
                .send("a1 OK done")
                .start();
             Socket s = new Socket(server.address(), server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).isEqualTo("* OK hello");
            out.write("A1 CAPABILITY\r\nafterwards\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("a1 OK done");
            s.shutdownOutput();
            assertThat(server.awaitIdle(Duration.ofSeconds(5))).isTrue();
            assertThat(server.received()).containsExactly("A1 CAPABILITY", "afterwards");
            assertThat(server.errors()).isEmpty();
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void aMismatchIsRecordedAndEndsTheConnection() throws Exception {
        try (ScriptedMailServer server = ScriptedMailServer.builder()
                .expect("EHLO .*")
                .send("250 never sent")
                .start();
             Socket s = new Socket(server.address(), server.port())) {
            s.getOutputStream().write("HELO x\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(server.errors()).containsExactly("expected 'EHLO .*', got 'HELO x'");
        }
    }

    @Test
    void bindsOnlyLoopback() {
        assertThatThrownBy(() -> ScriptedMailServer.builder().bind("192.0.2.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a loopback address");
    }
}
