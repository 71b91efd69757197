/**
 * Live checks of IMAP, POP3 and SMTP servers: TLS or a real STARTTLS upgrade, certificate and host name,
 * greeting and capabilities. Never a password.
 */
package org.mailsetup.internal.probe;
