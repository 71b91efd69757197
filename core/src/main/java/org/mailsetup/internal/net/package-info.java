/**
 * The one door to the network: the {@code Dialer} resolves names for connecting and opens every connection,
 * applying the {@code NetworkPolicy} (public addresses only, unless allowed) to the address dialled; and
 * the trust stores for TLS.
 */
package org.mailsetup.internal.net;
