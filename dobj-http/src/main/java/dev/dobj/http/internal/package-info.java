/** Jetty-facing classes of the HTTP edge; not an API. */
package dev.dobj.http.internal;
