/**
 * A lookup result in the formats mail clients already read, for applications that hand settings to a
 * client directly: {@link org.mailsetup.format.BestSettings} picks the servers a client may use without
 * asking (never plain text; verified ones first), and {@link org.mailsetup.format.ClientConfigWriter}
 * (Thunderbird config-v1.1), {@link org.mailsetup.format.Autodiscover} (Outlook POX),
 * {@link org.mailsetup.format.Mobileconfig} (Apple configuration profile) and
 * {@link org.mailsetup.format.PaccDocument} (IETF PACC) write them. Every document is built with a
 * serializer, never from string templates, so any value is escaped.
 */
package org.mailsetup.format;
