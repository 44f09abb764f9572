package io.sluice.spring.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.sluice.api.Message;
import io.sluice.api.Producer;
import io.sluice.api.Receipt;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.observation.SluiceSenderContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SluiceTemplateTest {
  record Order(String id, int cents) {}

  /** Stores nothing; remembers what it was asked to send; "missing" is an unknown topic. */
  static final class RecordingProducer implements Producer {
    final List<Message> sent = new ArrayList<>();

    @Override
    public Receipt send(String topic, Message message) {
      if (topic.equals("missing")) {
        throw new TopicNotFoundException(topic);
      }
      sent.add(message);
      return new Receipt(topic, 0, sent.size() - 1, Instant.EPOCH, false);
    }

    @Override
    public CompletableFuture<Receipt> sendAsync(String topic, Message message) {
      try {
        return CompletableFuture.completedFuture(send(topic, message));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public List<Receipt> sendAll(String topic, List<Message> messages) {
      return messages.stream().map(m -> send(topic, m)).toList();
    }

    @Override
    public CompletableFuture<List<Receipt>> sendAllAsync(String topic, List<Message> messages) {
      return CompletableFuture.completedFuture(sendAll(topic, messages));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private final RecordingProducer producer = new RecordingProducer();
  private final List<String> sends = new ArrayList<>();
  private final SendListener listener =
      (topic, latency, failure) -> sends.add(topic + ":" + (failure == null ? "ok" : "failed"));
  private final SluiceTemplate template =
      new SluiceTemplate(
          producer, new JacksonMessageConverter(JsonMapper.shared()), null, listener);

  @Test
  void objectsAreSentAsJsonWithTheirKey() {
    template.send("orders", "customer-7", new Order("o-1", 250));
    Message m = producer.sent.get(0);
    assertThat(m.payloadAsString()).isEqualTo("{\"id\":\"o-1\",\"cents\":250}");
    assertThat(m.key()).isEqualTo("customer-7");
    assertThat(m.headers().lastValue("content-type")).contains("application/json");
  }

  @Test
  void textAndBytesAreSentAsTheyAre() {
    template.send("orders", "plain");
    template.send("orders", new byte[] {1, 2});
    assertThat(producer.sent.get(0).payloadAsString()).isEqualTo("plain");
    assertThat(producer.sent.get(0).headers().isEmpty()).isTrue();
    assertThat(producer.sent.get(1).payload()).containsExactly(1, 2);
  }

  @Test
  void aMessageIsSentUnchanged() {
    Message m = Message.builder("x").idempotencyKey("k-1").build();
    template.send("orders", m);
    assertThat(producer.sent).containsExactly(m);
  }

  @Test
  void aJoinableTransactionTakesTheSendInsteadOfTheProducer() {
    Receipt inTx = new Receipt("orders", 2, 41, Instant.EPOCH, false);
    TransactionalSender tx = (topic, message) -> Optional.of(inTx);
    SluiceTemplate joined =
        new SluiceTemplate(producer, new PlainMessageConverter(), tx, SendListener.NONE);
    assertThat(joined.send("orders", "a")).isSameAs(inTx);
    assertThat(joined.sendAsync("orders", "b").join()).isSameAs(inTx);
    assertThat(producer.sent).isEmpty();
  }

  @Test
  void aSendJoiningATransactionIsObservedAndCarriesThePropagatedHeaders() {
    List<Message> joined = new ArrayList<>();
    TransactionalSender tx =
        new TransactionalSender() {
          @Override
          public Optional<Receipt> sendInTransaction(String topic, Message message) {
            joined.add(message);
            return Optional.of(new Receipt(topic, 1, 7, Instant.EPOCH, false));
          }

          @Override
          public boolean wouldJoin() {
            return true;
          }
        };
    TestObservationRegistry observations = TestObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(
            new ObservationHandler<SluiceSenderContext>() {
              @Override
              public void onStart(SluiceSenderContext context) {
                context.getSetter().set(context.getCarrier(), "traceparent", "00-test-01");
              }

              @Override
              public boolean supportsContext(Observation.Context context) {
                return context instanceof SluiceSenderContext;
              }
            });
    SluiceTemplate t =
        new SluiceTemplate(
            producer, new PlainMessageConverter(), tx, SendListener.NONE, observations);
    t.send("orders", Message.builder("x").header("traceparent", "old").build());
    assertThat(joined).hasSize(1);
    assertThat(joined.get(0).headers().values("traceparent")).containsExactly("00-test-01");
    assertThat(producer.sent).isEmpty();
    TestObservationRegistryAssert.assertThat(observations)
        .hasSingleObservationThat()
        .hasNameEqualTo("sluice.send")
        .hasContextualNameEqualTo("orders send")
        .hasBeenStopped()
        .hasHighCardinalityKeyValue("messaging.message.id", "1-7");
  }

  @Test
  void failuresReachTheCallerAndTheSendListener() {
    assertThatThrownBy(() -> template.send("missing", "x"))
        .isInstanceOf(TopicNotFoundException.class);
    assertThatThrownBy(() -> template.sendAsync("missing", "y").join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(TopicNotFoundException.class);
    template.sendAndForget("missing", "z"); // logged, not thrown
    template.send("orders", "ok");
    assertThat(sends)
        .containsExactly("missing:failed", "missing:failed", "missing:failed", "orders:ok");
  }

  @Test
  void withoutJacksonObjectsAreRefusedWithAHint() {
    SluiceTemplate plain = new SluiceTemplate(producer, new PlainMessageConverter(), null);
    assertThatThrownBy(() -> plain.send("orders", new Order("o", 1)))
        .isInstanceOf(MessageConversionException.class)
        .hasMessageContaining("jackson-databind");
  }
}
