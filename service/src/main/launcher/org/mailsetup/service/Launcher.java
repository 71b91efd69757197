package org.mailsetup.service;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's entry point, compiled for Java 8 so that an older JVM gets one clear line instead of an
 * {@code UnsupportedClassVersionError}; on Java 21 or newer it hands over to {@link Main}.
 */
public final class Launcher {

    private static final int REQUIRED = 21;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "0");
        int feature = Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec.split("\\.")[0]);
        if (feature < REQUIRED) {
            System.err.println("mailsetup needs Java " + REQUIRED + " or newer, but runs on Java " + spec
                    + " (" + System.getProperty("java.home") + "); set JAVA_HOME or PATH to a newer JDK.");
            System.exit(1);
        }
        // Looked up by name: Main is compiled for Java 21, so this class cannot refer to it directly.
        MethodHandles.publicLookup()
                .findStatic(Class.forName("org.mailsetup.service.Main"), "main",
                        MethodType.methodType(void.class, String[].class))
                .invokeExact(args);
    }
}
