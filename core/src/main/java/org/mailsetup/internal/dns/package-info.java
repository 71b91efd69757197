/** The DNS door: dnsjava against the configured resolver, with absolute names only. */
package org.mailsetup.internal.dns;
