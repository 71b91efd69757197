/** Reading XML from strangers: no DTDs, no external entities, a size cap. */
package org.mailsetup.internal.xml;
