/**
 * The runtime's entry: {@link dev.dobj.runtime.DurableObjectRuntime} builds a runtime from its
 * bindings and settings and hands out the application's {@link dev.dobj.Env}. This is the only
 * place the runtime's parts are wired together (also the meters: one {@code NamespaceMeters} per
 * binding, in the registry given to the builder). Imports the API, the SPIs, the codec,
 * Micrometer's core and the runtime's internal packages.
 */
package dev.dobj.runtime;
