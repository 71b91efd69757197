package org.mailsetup.config;

/** A config-v1.1 document that cannot be used, with the reason. */
public final class InvalidConfigException extends Exception {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
