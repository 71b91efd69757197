/**
 * The public API: build a {@link org.mailsetup.MailSetup} once, call {@code lookup(email)}, read the
 * immutable {@link org.mailsetup.DiscoveryResult}. Everything under {@code org.mailsetup.internal} may change
 * without notice.
 */
package org.mailsetup;
