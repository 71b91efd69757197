/** The HTTP door: OkHttp with policy-checked connections, manual redirects and size caps. */
package org.mailsetup.internal.http;
