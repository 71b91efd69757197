/**
 * config-v1.1 documents (Mozilla autoconfig, the ISPDB, mailsetup's provider database): the model, the one
 * codec of their XML shape ({@link org.mailsetup.config.ClientConfigXml}), a safe parser, and the placeholder
 * and host-name rules they follow.
 */
package org.mailsetup.config;
