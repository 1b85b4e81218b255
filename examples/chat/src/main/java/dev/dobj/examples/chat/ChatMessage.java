package dev.dobj.examples.chat;

/**
 * One message said in a room.
 *
 * @param user who said it
 * @param text what was said
 * @param at when, in epoch milliseconds
 */
public record ChatMessage(String user, String text, long at) {}
