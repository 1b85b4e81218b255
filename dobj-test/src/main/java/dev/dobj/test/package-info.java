/**
 * The test kit for users' JUnit 5 tests of their Durable Objects, like the Workers vitest pool:
 * {@link dev.dobj.test.DurableObjectTest} starts a runtime per test on a fresh data directory with
 * the real SQLite engine and a manual clock, and injects namespaces, stubs, the runtime and the
 * clock; {@link dev.dobj.test.DurableObjects} runs code inside an object, fires its alarm, and
 * lists a namespace's ids. Imports the API, the runtime's public packages, the SQLite engine and
 * JUnit's API. Holds no static state: each test's runtime lives in JUnit's extension store.
 */
package dev.dobj.test;
