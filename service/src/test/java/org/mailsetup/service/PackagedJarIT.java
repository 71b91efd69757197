package org.mailsetup.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import okhttp3.tls.HeldCertificate;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts as users run them: target/mailsetup.jar (shaded and trimmed) and the launcher script
 * target/mailsetup beside it, started as separate processes on the JDK that runs the build.
 * Offline only: every source except the provider database is switched off.
 */
class PackagedJarIT {

    private static final Path TARGET = Path.of("target");
    private static final Path JAR = TARGET.resolve("mailsetup.jar");
    private static final Path SCRIPT = TARGET.resolve("mailsetup");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> OFFLINE = List.of("--no-verify", "--json",
            "--disable", "pacc,autoconfig,ispdb,srv,mx,autodiscover,guess");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> command, Path cacheHome) throws IOException, InterruptedException {
        return run(command, cacheHome, System.getProperty("java.home"), null);
    }

    /** @param javaOpts MAILSETUP_JAVA_OPTS for the launcher, or null */
    private static Run run(List<String> command, Path cacheHome, String javaHome, String javaOpts)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().remove("MAILSETUP_JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("MAILSETUP_JAVA_OPTS", javaOpts);
        }
        if (cacheHome != null) {
            pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        }
        Path out = Files.createTempFile("mailsetup-it", ".out");
        Path err = Files.createTempFile("mailsetup-it", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: %s", command).isTrue();
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private static List<String> jar(String... args) {
        List<String> c = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
        c.addAll(List.of(args));
        return c;
    }

    private static List<String> offlineLookup(List<String> launcher, String email) {
        List<String> c = new ArrayList<>(launcher);
        c.add("lookup");
        c.addAll(OFFLINE);
        c.add(email);
        return c;
    }

    @Test
    void versionNamesTheBuild() throws Exception {
        Run r = run(jar("--version"), null);

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("^mailsetup \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{12}|unknown)\\)");
    }

    @Test
    void theEntryPointLoadsOnJava8SoOldJvmsGetAMessageNotAStackTrace() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("org.mailsetup.service.Launcher");
            try (InputStream in = jar.getInputStream(jar.getEntry("org/mailsetup/service/Launcher.class"))) {
                DataInputStream data = new DataInputStream(in);
                assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
                data.readUnsignedShort();
                assertThat(data.readUnsignedShort()).as("class file major version").isEqualTo(52);
            }
        }
    }

    @Test
    void aProviderDatabaseLookupNeedsNoNetwork() throws Exception {
        Run r = run(offlineLookup(List.of(JAVA, "-jar", JAR.toString()), "alice@gmail.com"), null);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = JSON.readTree(r.out());
        assertThat(result.path("provider").path("id").asText()).isEqualTo("gmail.com");
        assertThat(result.path("incoming").get(0).path("host").asText()).isEqualTo("imap.gmail.com");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void internationalDomainsStillConvertWithTheTrimmedIcuData() throws Exception {
        JsonNode bucher = JSON.readTree(run(offlineLookup(List.of(JAVA, "-jar", JAR.toString()), "jörg@Bücher.example"), null).out());
        JsonNode chinese = JSON.readTree(run(offlineLookup(List.of(JAVA, "-jar", JAR.toString()), "用户@例子.广告"), null).out());
        JsonNode badBidi = JSON.readTree(run(offlineLookup(List.of(JAVA, "-jar", JAR.toString()), "a@aשb.example"), null).out());

        assertThat(bucher.path("domain").asText()).isEqualTo("xn--bcher-kva.example");
        assertThat(chinese.path("domain").asText()).isEqualTo("xn--fsqu00a.xn--4rr70v");
        assertThat(badBidi.path("error").path("code").asText()).isEqualTo("invalid-email");
    }

    /**
     * The jar keeps only the part of Bouncy Castle that profile signing uses (service/pom.xml): signing
     * with the jar's own classes, from PEM files as {@code serve} reads them, must still work.
     */
    @Test
    void profilesAreSignedWithTheTrimmedBouncyCastle(@TempDir Path dir) throws Exception {
        HeldCertificate rsa = new HeldCertificate.Builder().commonName("profiles.example.org").rsa2048().build();
        HeldCertificate ec = new HeldCertificate.Builder().commonName("profiles.example.org").ecdsa256().build();
        Map<String, String> keys = Map.of("rsa-pkcs1", rsa.privateKeyPkcs1Pem(), "ec-pkcs8", ec.privateKeyPkcs8Pem());
        byte[] profile = "<plist version=\"1.0\"><dict/></plist>".getBytes(StandardCharsets.UTF_8);
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[] {JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> signer = jarOnly.loadClass("org.mailsetup.format.ProfileSigner");
            for (var key : keys.entrySet()) {
                HeldCertificate cert = key.getKey().startsWith("rsa") ? rsa : ec;
                Path certPem = Files.writeString(dir.resolve(key.getKey() + ".crt"), cert.certificatePem());
                Path keyPem = Files.writeString(dir.resolve(key.getKey() + ".key"), key.getValue());

                Object s = signer.getMethod("fromPem", Path.class, Path.class).invoke(null, certPem, keyPem);
                byte[] signed = (byte[]) signer.getMethod("sign", byte[].class).invoke(s, profile);

                CMSSignedData cms = new CMSSignedData(signed);
                assertThat((byte[]) cms.getSignedContent().getContent()).as(key.getKey()).isEqualTo(profile);
                SignerInformation info = cms.getSignerInfos().getSigners().iterator().next();
                assertThat(info.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert.certificate())))
                        .as(key.getKey()).isTrue();
            }
        }
    }

    @Test
    void theLauncherBuildsAStartUpCacheAndAnswersTheSameWithIt(@TempDir Path cache) throws Exception {
        boolean aot = Runtime.version().feature() >= 25;
        launcherCache(System.getProperty("java.home"), cache, aot ? "aot" : "jsa", aot ? "-XX:AOTMode=on" : "-Xshare:on");
    }

    /** The JDK 21 to 24 branch, with such a JDK named by MAILSETUP_TEST_JDK (a JAVA_HOME). */
    @Test
    void onAnOlderJdkTheLauncherKeepsAnAppCdsArchive(@TempDir Path cache) throws Exception {
        String jdk = System.getenv("MAILSETUP_TEST_JDK");
        assumeTrue(jdk != null && !jdk.isBlank(),
                "MAILSETUP_TEST_JDK is not set to a JDK 21 to 24: the launcher's AppCDS branch is not tested");
        launcherCache(jdk, cache, "jsa", "-Xshare:on");
    }

    /**
     * Only a lookup or db command trains the cache; the next command starts from it (the JVM option that
     * makes a cache it cannot use an error proves it does) and answers the same.
     */
    private static void launcherCache(String javaHome, Path cache, String kind, String cacheRequired) throws Exception {
        List<String> script = List.of(SCRIPT.toString());
        assertThat(Files.isExecutable(SCRIPT)).isTrue();

        Run version = run(List.of(SCRIPT.toString(), "--version"), cache, javaHome, null);
        assertThat(version.out()).startsWith("mailsetup ");
        assertThat(cache.resolve("mailsetup")).isEmptyDirectory();

        Run first = run(offlineLookup(script, "alice@gmail.com"), cache, javaHome, null);
        Path archive = awaitCache(cache.resolve("mailsetup"));
        Run second = run(offlineLookup(script, "alice@gmail.com"), cache, javaHome, cacheRequired);

        assertThat(archive.getFileName().toString()).matches("mailsetup-jdk[0-9.]+-\\d+\\." + kind);
        for (Run r : List.of(first, second)) {
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(JSON.readTree(r.out()).path("provider").path("id").asText()).isEqualTo("gmail.com");
        }
    }

    /** The cache is written after the first command has answered (AOT: in the background, under a lock). */
    private static Path awaitCache(Path dir) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    List<Path> all = files.toList();
                    List<Path> done = all.stream().filter(f -> f.toString().matches(".*\\.(aot|jsa)")).toList();
                    if (!done.isEmpty() && all.stream().noneMatch(f -> f.toString().endsWith(".lock"))) {
                        return done.getFirst();
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no start-up cache appeared in " + dir);
    }
}
