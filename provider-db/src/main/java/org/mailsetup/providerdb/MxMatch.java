package org.mailsetup.providerdb;

import org.mailsetup.config.ClientConfig;

/**
 * An MX host name recognised by a reviewed pattern.
 *
 * @param pattern the entry's {@code ms:mxHost} value that matched: an exact host or {@code *.suffix}
 * @param entry   the entry that claims it
 */
public record MxMatch(String pattern, ClientConfig entry) {
}
