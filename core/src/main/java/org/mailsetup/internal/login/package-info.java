/**
 * Login checks: one sign-in over the connection a probe opens (same dialer, same TLS validation), with the
 * strongest mechanism that fits the credential, and the server's answer classified into a {@code LoginOutcome}.
 * Secrets live in {@code char[]}/{@code byte[]} only, are zeroed after the check and never reach a log line,
 * an exception or a report.
 */
package org.mailsetup.internal.login;
