/**
 * The counter example: a Worker that routes HTTP requests to one Durable Object per counter name,
 * kept either with the key-value API ({@code CounterObject}, binding {@code COUNTER}) or with the
 * SQL API ({@code SqlCounterObject}, binding {@code SQL_COUNTER}). Imports the dobj API only, like
 * any application. Serve it with {@code ./dobj dev examples/counter}; its bindings are in {@code
 * examples/counter/dobj.toml}.
 */
package dev.dobj.examples.counter;
