package io.sluice.spring.core;

import io.sluice.api.Message;
import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * {@link PlainMessageConverter} plus JSON for every other type, with the application's Jackson 3
 * mapper (so its modules and settings apply). Messages it writes carry {@code content-type:
 * application/json}.
 */
public class JacksonMessageConverter extends PlainMessageConverter {
  /** The content type of JSON payloads. */
  public static final String APPLICATION_JSON = "application/json";

  private final ObjectMapper mapper;

  /** A converter using {@code mapper}. */
  public JacksonMessageConverter(ObjectMapper mapper) {
    this.mapper = java.util.Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  protected Message.Builder toMessageOther(Object payload) {
    if (payload == null) {
      throw new MessageConversionException("cannot send a null payload");
    }
    try {
      return Message.builder(mapper.writeValueAsBytes(payload))
          .header(CONTENT_TYPE, APPLICATION_JSON);
    } catch (JacksonException e) {
      throw new MessageConversionException(
          "cannot write a " + payload.getClass().getName() + " as JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  protected Object fromMessageOther(Message message, Type type) {
    try {
      return mapper.readValue(message.payload(), mapper.constructType(type));
    } catch (JacksonException e) {
      throw new MessageConversionException(
          "cannot read the payload as JSON " + type.getTypeName() + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
