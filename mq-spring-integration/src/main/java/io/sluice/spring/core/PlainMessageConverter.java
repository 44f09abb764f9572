package io.sluice.spring.core;

import io.sluice.api.Message;
import java.lang.reflect.Type;

/**
 * Converts {@code byte[]} (as is) and {@code String} (UTF-8) only; any other type fails with a
 * message saying to add Jackson. Used when Jackson is not on the classpath.
 */
public class PlainMessageConverter implements SluiceMessageConverter {

  /** A converter for bytes and text. */
  public PlainMessageConverter() {}

  @Override
  public Message.Builder toMessage(Object payload) {
    if (payload instanceof byte[] bytes) {
      return Message.builder(bytes);
    }
    if (payload instanceof CharSequence text) {
      return Message.builder(text.toString());
    }
    return toMessageOther(payload);
  }

  @Override
  public Object fromMessage(Message message, Type type) {
    if (type == byte[].class) {
      return message.payload();
    }
    if (type == String.class) {
      return message.payloadAsString();
    }
    return fromMessageOther(message, type);
  }

  /** Converts a payload that is neither bytes nor text; this class refuses. */
  protected Message.Builder toMessageOther(Object payload) {
    throw new MessageConversionException(
        "cannot convert a "
            + (payload == null ? "null payload" : payload.getClass().getName())
            + " to a message: expected byte[] or String; add tools.jackson.core:jackson-databind"
            + " for JSON");
  }

  /** Reads a payload as a type that is neither bytes nor text; this class refuses. */
  protected Object fromMessageOther(Message message, Type type) {
    throw new MessageConversionException(
        "cannot read a payload as "
            + type.getTypeName()
            + ": expected byte[] or String; add tools.jackson.core:jackson-databind for JSON");
  }
}
