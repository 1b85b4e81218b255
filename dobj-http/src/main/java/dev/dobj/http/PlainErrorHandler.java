package dev.dobj.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before the Worker is reached (400 malformed, 431 headers
 * too large), in the same short plain-text form as the front's own errors: {@code Bad Request: No
 * URI}. Never a stack trace, and an exception's message only for a 4xx status, where it describes
 * what the client sent.
 */
final class PlainErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String text = HttpStatus.getMessage(status);
    if (HttpStatus.isClientError(status)
        && request.getAttribute(ERROR_MESSAGE) instanceof String message
        && !message.isBlank()
        && !message.equals(text)) {
      text += ": " + message;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=UTF-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
    return true;
  }
}
