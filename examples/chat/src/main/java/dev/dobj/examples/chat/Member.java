package dev.dobj.examples.chat;

/** Who is on a socket; kept as the socket's attachment, so it survives hibernation. */
public record Member(String user) {}
