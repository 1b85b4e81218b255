/**
 * The chat example: one Durable Object per room keeps the room's history in SQL and its members as
 * hibernating WebSockets; the Worker serves the page and forwards upgrades to the room.
 */
package dev.dobj.examples.chat;
