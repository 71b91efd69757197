package org.mailsetup;

/** Thrown by {@link EmailAddress#parse} when the input is not a usable email address. */
public final class InvalidEmailException extends IllegalArgumentException {
    public InvalidEmailException(String message) {
        super(message);
    }
}
