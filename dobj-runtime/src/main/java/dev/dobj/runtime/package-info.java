/**
 * The runtime's entry: {@link dev.dobj.runtime.DurableObjectRuntime} builds a runtime from its
 * bindings and settings and hands out the application's {@link dev.dobj.Env}. This is the only
 * place the runtime's parts are wired together. Imports the API, the SPIs, the codec and the
 * runtime's internal packages.
 */
package dev.dobj.runtime;
