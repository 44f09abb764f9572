package io.sluice.spring.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Delivery;
import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.spring.core.JacksonMessageConverter;
import io.sluice.spring.core.MessageConversionException;
import io.sluice.spring.core.PlainMessageConverter;
import io.sluice.spring.listener.internal.ListenerMethodInvoker;
import io.sluice.spring.testing.FakeDelivery;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ListenerMethodInvokerTest {

  record Order(String id, int amount) {}

  static final class Target {
    final List<Object> seen = new ArrayList<>();

    void bytes(byte[] payload) {
      seen.add(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
    }

    void text(String payload, @Header("tenant") String tenant, Delivery delivery) {
      seen.add(payload + "/" + tenant + "/" + delivery.offset());
    }

    void json(Order order, Headers headers) {
      seen.add(order);
      seen.add(headers.size());
    }

    void list(List<Order> orders) {
      seen.add(orders);
    }

    void optionalHeader(Message message, @Header(value = "missing", required = false) String h) {
      seen.add(message.payloadAsString() + "/" + h);
    }

    void fails(String payload) throws IOException {
      throw new IOException("down: " + payload);
    }

    void twoPayloads(String a, String b) {}

    void headerNotString(@Header("n") int n) {}
  }

  private final Target target = new Target();
  private final JacksonMessageConverter json = new JacksonMessageConverter(JsonMapper.shared());

  private ListenerMethodInvoker invoker(String name) {
    for (Method m : Target.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return new ListenerMethodInvoker(target, m, json);
      }
    }
    throw new AssertionError(name);
  }

  private static FakeDelivery delivery(Message m) {
    return new FakeDelivery("orders", "billing", m);
  }

  @Test
  void bindsBytesTextHeadersAndDelivery() throws Exception {
    invoker("bytes").handle(delivery(Message.of("raw")));
    invoker("text").handle(delivery(Message.builder("hi").header("tenant", "acme").build()));
    assertThat(target.seen).containsExactly("raw", "hi/acme/7");
  }

  @Test
  void readsJsonIntoTheParameterType() throws Exception {
    invoker("json").handle(delivery(Message.of("{\"id\":\"o-1\",\"amount\":42}")));
    invoker("list").handle(delivery(Message.of("[{\"id\":\"o-2\",\"amount\":1}]")));
    assertThat(target.seen).containsExactly(new Order("o-1", 42), 0, List.of(new Order("o-2", 1)));
  }

  @Test
  void badJsonIsAConversionFailureNamingThePosition() {
    assertThatThrownBy(() -> invoker("json").handle(delivery(Message.of("not json"))))
        .isInstanceOf(MessageConversionException.class)
        .hasMessageContaining("ListenerMethodInvokerTest$Order")
        .hasMessageContaining("topic orders partition 0 offset 7");
  }

  @Test
  void missingRequiredHeaderFailsAndOptionalBindsNull() throws Exception {
    assertThatThrownBy(() -> invoker("text").handle(delivery(Message.of("x"))))
        .isInstanceOf(MessageConversionException.class)
        .hasMessageContaining("required header \"tenant\"");
    invoker("optionalHeader").handle(delivery(Message.of("y")));
    assertThat(target.seen).containsExactly("y/null");
  }

  @Test
  void theMethodsExceptionPassesThroughUnwrapped() {
    assertThatThrownBy(() -> invoker("fails").handle(delivery(Message.of("p"))))
        .isInstanceOf(IOException.class)
        .hasMessage("down: p");
  }

  @Test
  void badSignaturesAreRejectedUpFront() {
    assertThatThrownBy(() -> invoker("twoPayloads"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only one parameter can receive the payload");
    assertThatThrownBy(() -> invoker("headerNotString"))
        .hasMessageContaining("@Header parameter n must be a String");
  }

  @Test
  void withoutJacksonOtherTypesFailWithAHint() throws Exception {
    Method m = Target.class.getDeclaredMethod("json", Order.class, Headers.class);
    ListenerMethodInvoker plain = new ListenerMethodInvoker(target, m, new PlainMessageConverter());
    assertThatThrownBy(() -> plain.handle(delivery(Message.of("{}"))))
        .isInstanceOf(MessageConversionException.class)
        .hasMessageContaining("jackson-databind");
  }
}
