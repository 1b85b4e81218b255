/**
 * The rate limiter example: a Worker that limits requests per key with one token bucket per key,
 * each a Durable Object ({@code RateLimiterObject}, binding {@code RATE_LIMITER}) that keeps its
 * bucket with the key-value API and refills it with its alarm. The bucket's capacity and refill
 * rate come from {@code [vars]}. Imports the dobj API only, like any application. Serve it with
 * {@code ./dobj dev examples/rate-limiter}; its bindings and variables are in {@code
 * examples/rate-limiter/dobj.toml}.
 */
package dev.dobj.examples.ratelimiter;
