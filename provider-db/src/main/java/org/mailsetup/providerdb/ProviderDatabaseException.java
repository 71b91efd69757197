package org.mailsetup.providerdb;

import java.util.List;

/** A provider directory that cannot be loaded, with every problem found ({@code file:line: message}). */
public final class ProviderDatabaseException extends Exception {

    private final transient List<String> problems;

    public ProviderDatabaseException(String summary, List<String> problems) {
        super(problems.isEmpty() ? summary : summary + ":\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public ProviderDatabaseException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
