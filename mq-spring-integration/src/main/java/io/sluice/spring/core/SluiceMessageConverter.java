package io.sluice.spring.core;

import io.sluice.api.Message;
import java.lang.reflect.Type;

/**
 * Turns application objects into message payloads and back, for {@link SluiceTemplate} and {@link
 * io.sluice.spring.listener.SluiceListener} methods. The auto-configuration supplies {@link
 * JacksonMessageConverter} when Jackson 3 is present and {@link PlainMessageConverter} otherwise;
 * declare a bean of this type to replace it.
 */
public interface SluiceMessageConverter {

  /** The content-type header name the converters set. */
  String CONTENT_TYPE = "content-type";

  /**
   * A message builder holding {@code payload} converted to bytes, with any headers the format needs
   * (such as {@value #CONTENT_TYPE}); the caller adds the key and the rest.
   *
   * @throws MessageConversionException when the value cannot be converted
   */
  Message.Builder toMessage(Object payload);

  /**
   * The payload of {@code message} as {@code type}.
   *
   * @throws MessageConversionException when the payload cannot be read as that type
   */
  Object fromMessage(Message message, Type type);
}
