/** Unauthenticated probes of CardDAV, CalDAV and JMAP endpoints over HTTPS, through the lookup's HTTP door. */
package org.mailsetup.internal.httpprobe;
