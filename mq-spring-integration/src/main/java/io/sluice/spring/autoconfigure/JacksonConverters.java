package io.sluice.spring.autoconfigure;

import io.sluice.spring.core.JacksonMessageConverter;
import io.sluice.spring.core.SluiceMessageConverter;
import org.springframework.beans.factory.BeanFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Loaded only when Jackson 3 is present: the converter on the application's mapper. */
final class JacksonConverters {
  private JacksonConverters() {}

  static SluiceMessageConverter create(BeanFactory beanFactory) {
    ObjectMapper mapper =
        beanFactory.getBeanProvider(ObjectMapper.class).getIfUnique(JsonMapper::shared);
    return new JacksonMessageConverter(mapper);
  }
}
