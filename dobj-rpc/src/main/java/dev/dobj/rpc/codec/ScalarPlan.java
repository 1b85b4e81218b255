package dev.dobj.rpc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Primitives, their boxes, {@code String}, {@code BigInteger}, {@code BigDecimal}, {@code Instant},
 * {@code Duration}, {@code LocalDate} and {@code void}/{@code Void}: immutable values that pass as
 * they are. All of them can be map keys except {@code Void}.
 *
 * <p>On the wire: booleans and numbers as JSON booleans and numbers (non-finite floats as the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}), characters and the rest as
 * strings ({@code java.time} values in ISO-8601). {@code Void} is always null.
 */
final class ScalarPlan extends Plan {
  enum Kind {
    BOOLEAN,
    BYTE,
    SHORT,
    CHAR,
    INT,
    LONG,
    FLOAT,
    DOUBLE,
    STRING,
    BIG_INTEGER,
    BIG_DECIMAL,
    INSTANT,
    DURATION,
    LOCAL_DATE,
    VOID
  }

  private final Kind kind;
  private final Class<?> box;
  private final boolean primitive;

  private ScalarPlan(Class<?> declared, Kind kind, Class<?> box) {
    super(declared);
    this.kind = kind;
    this.box = box;
    this.primitive = declared.isPrimitive() && kind != Kind.VOID;
    this.immutable = true;
    this.trivial = kind != Kind.STRING && kind != Kind.BIG_INTEGER && kind != Kind.BIG_DECIMAL;
  }

  /** The plan for {@code c}, or null if {@code c} is not a scalar type. */
  static ScalarPlan of(Class<?> c) {
    Kind kind;
    Class<?> box;
    if (c == boolean.class || c == Boolean.class) {
      kind = Kind.BOOLEAN;
      box = Boolean.class;
    } else if (c == byte.class || c == Byte.class) {
      kind = Kind.BYTE;
      box = Byte.class;
    } else if (c == short.class || c == Short.class) {
      kind = Kind.SHORT;
      box = Short.class;
    } else if (c == char.class || c == Character.class) {
      kind = Kind.CHAR;
      box = Character.class;
    } else if (c == int.class || c == Integer.class) {
      kind = Kind.INT;
      box = Integer.class;
    } else if (c == long.class || c == Long.class) {
      kind = Kind.LONG;
      box = Long.class;
    } else if (c == float.class || c == Float.class) {
      kind = Kind.FLOAT;
      box = Float.class;
    } else if (c == double.class || c == Double.class) {
      kind = Kind.DOUBLE;
      box = Double.class;
    } else if (c == String.class) {
      kind = Kind.STRING;
      box = String.class;
    } else if (c == BigInteger.class) {
      kind = Kind.BIG_INTEGER;
      box = BigInteger.class;
    } else if (c == BigDecimal.class) {
      kind = Kind.BIG_DECIMAL;
      box = BigDecimal.class;
    } else if (c == Instant.class) {
      kind = Kind.INSTANT;
      box = Instant.class;
    } else if (c == Duration.class) {
      kind = Kind.DURATION;
      box = Duration.class;
    } else if (c == LocalDate.class) {
      kind = Kind.LOCAL_DATE;
      box = LocalDate.class;
    } else if (c == void.class || c == Void.class) {
      kind = Kind.VOID;
      box = Void.class;
    } else {
      return null;
    }
    return new ScalarPlan(c, kind, box);
  }

  boolean isKeyType() {
    return kind != Kind.VOID;
  }

  @Override
  boolean primitive() {
    return primitive;
  }

  @Override
  long fixedSize() {
    return switch (kind) {
      case BOOLEAN -> 5;
      case CHAR -> 3;
      case INSTANT, DURATION, LOCAL_DATE -> 32;
      case VOID -> NULL_SIZE;
      default -> 8;
    };
  }

  @Override
  Object copy(Object value, Budget budget) {
    if (value.getClass() != box) {
      throw mismatch(value);
    }
    budget.add(
        switch (kind) {
          case STRING -> ((String) value).length() + 2L;
          case BIG_INTEGER -> ((BigInteger) value).bitLength() / 3 + 2L;
          case BIG_DECIMAL -> ((BigDecimal) value).precision() + 8L;
          default -> fixedSize();
        });
    return value;
  }

  @Override
  byte[] encodeDirect(Object value) {
    if (value.getClass() != box) {
      return null; // write() reports the mismatch
    }
    return switch (kind) {
      case BOOLEAN -> ((Boolean) value ? "true" : "false").getBytes(StandardCharsets.US_ASCII);
      case BYTE, SHORT, INT, LONG ->
          Long.toString(((Number) value).longValue()).getBytes(StandardCharsets.US_ASCII);
      default -> null;
    };
  }

  @Override
  void write(JsonGenerator out, Object value) throws IOException {
    if (value.getClass() != box) {
      throw mismatch(value);
    }
    switch (kind) {
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case BYTE -> out.writeNumber((Byte) value);
      case SHORT -> out.writeNumber((Short) value);
      case CHAR -> out.writeString(String.valueOf((char) (Character) value));
      case INT -> out.writeNumber((Integer) value);
      case LONG -> out.writeNumber((Long) value);
      case FLOAT -> {
        float f = (Float) value;
        if (Float.isFinite(f)) {
          out.writeNumber(f);
        } else {
          out.writeString(Float.toString(f));
        }
      }
      case DOUBLE -> {
        double d = (Double) value;
        if (Double.isFinite(d)) {
          out.writeNumber(d);
        } else {
          out.writeString(Double.toString(d));
        }
      }
      case STRING -> out.writeString((String) value);
      case BIG_INTEGER -> out.writeNumber((BigInteger) value);
      case BIG_DECIMAL -> out.writeNumber((BigDecimal) value);
      case INSTANT, DURATION, LOCAL_DATE -> out.writeString(value.toString());
      case VOID -> throw mismatch(value);
    }
  }

  @Override
  Object read(JsonParser in) throws IOException {
    JsonToken token = in.currentToken();
    return switch (kind) {
      case BOOLEAN -> {
        if (token == JsonToken.VALUE_TRUE) {
          yield Boolean.TRUE;
        } else if (token == JsonToken.VALUE_FALSE) {
          yield Boolean.FALSE;
        }
        throw unexpected(in, "a JSON boolean");
      }
      case BYTE -> (byte) readInt(in, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case SHORT -> (short) readInt(in, Short.MIN_VALUE, Short.MAX_VALUE);
      case INT -> readInt(in, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case LONG -> {
        if (token != JsonToken.VALUE_NUMBER_INT) {
          throw unexpected(in, "a JSON integer");
        }
        JsonParser.NumberType type = in.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
          throw outOfRange(in);
        }
        yield in.getLongValue();
      }
      case CHAR -> {
        if (token != JsonToken.VALUE_STRING || in.getTextLength() != 1) {
          throw unexpected(in, "a JSON string of one character");
        }
        yield in.getText().charAt(0);
      }
      case FLOAT -> {
        String text = numberText(in);
        float f = Float.parseFloat(text);
        if (Float.isInfinite(f) && token != JsonToken.VALUE_STRING) {
          throw outOfRange(in);
        }
        yield f;
      }
      case DOUBLE -> {
        String text = numberText(in);
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d) && token != JsonToken.VALUE_STRING) {
          throw outOfRange(in);
        }
        yield d;
      }
      case STRING -> {
        if (token != JsonToken.VALUE_STRING) {
          throw unexpected(in, "a JSON string");
        }
        yield in.getText();
      }
      case BIG_INTEGER -> {
        if (token != JsonToken.VALUE_NUMBER_INT) {
          throw unexpected(in, "a JSON integer");
        }
        yield in.getBigIntegerValue();
      }
      case BIG_DECIMAL -> {
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
          throw unexpected(in, "a JSON number");
        }
        yield in.getDecimalValue();
      }
      case INSTANT, DURATION, LOCAL_DATE -> {
        if (token != JsonToken.VALUE_STRING) {
          throw unexpected(in, "an ISO-8601 JSON string");
        }
        yield fromKey(in.getText());
      }
      case VOID -> throw unexpected(in, "null");
    };
  }

  private int readInt(JsonParser in, int min, int max) throws IOException {
    if (in.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw unexpected(in, "a JSON integer");
    }
    if (in.getNumberType() != JsonParser.NumberType.INT) {
      throw outOfRange(in);
    }
    int value = in.getIntValue();
    if (value < min || value > max) {
      throw outOfRange(in);
    }
    return value;
  }

  /** The text of a JSON number, or of one of the strings that name non-finite values. */
  private String numberText(JsonParser in) throws IOException {
    JsonToken token = in.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return in.getText();
    }
    if (token == JsonToken.VALUE_STRING) {
      String text = in.getText();
      if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
        return text;
      }
    }
    throw unexpected(in, "a JSON number, \"NaN\", \"Infinity\" or \"-Infinity\"");
  }

  private ValueException outOfRange(JsonParser in) throws IOException {
    String text = in.getText();
    return new ValueException(
        "number "
            + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
            + " is out of range for "
            + describe()
            + Wire.location(in));
  }

  @Override
  String toKey(Object value) {
    if (value.getClass() != box) {
      throw mismatch(value);
    }
    return value.toString();
  }

  @Override
  Object fromKey(String key) {
    try {
      return switch (kind) {
        case BOOLEAN -> {
          if (key.equals("true") || key.equals("false")) {
            yield Boolean.valueOf(key);
          }
          throw badKey(key);
        }
        case BYTE -> Byte.valueOf(key);
        case SHORT -> Short.valueOf(key);
        case CHAR -> {
          if (key.length() != 1) {
            throw badKey(key);
          }
          yield key.charAt(0);
        }
        case INT -> Integer.valueOf(key);
        case LONG -> Long.valueOf(key);
        case FLOAT -> Float.valueOf(key);
        case DOUBLE -> Double.valueOf(key);
        case STRING -> key;
        case BIG_INTEGER -> new BigInteger(key);
        case BIG_DECIMAL -> new BigDecimal(key);
        case INSTANT -> Instant.parse(key);
        case DURATION -> Duration.parse(key);
        case LOCAL_DATE -> LocalDate.parse(key);
        case VOID -> throw badKey(key);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw badKey(key);
    }
  }

  private ValueException badKey(String text) {
    return new ValueException(Wire.quote(text) + " is not a valid " + describe());
  }
}
