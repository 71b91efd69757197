/**
 * The discovery sources, one package each, and what the config-based ones share (fetching and parsing a
 * config document, turning it into candidates, taking the best of several URLs).
 */
package org.mailsetup.internal.source;
