/**
 * The network policy that every outbound connection passes (public addresses only, unless allowed), and
 * the trust stores for TLS.
 */
package org.mailsetup.internal.net;
