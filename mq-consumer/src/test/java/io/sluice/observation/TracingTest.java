package io.sluice.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.Sluice;
import io.sluice.api.Message;
import io.sluice.api.Receipt;
import io.sluice.api.TopicConfig;
import io.sluice.consumer.ConsumerGroup;
import io.sluice.consumer.DeadLetter;
import io.sluice.consumer.RetryPolicy;
import io.sluice.spi.StoredMessage;
import io.sluice.spi.tck.InMemoryStorage;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tracing end to end with a real tracer (Micrometer Tracing over the OpenTelemetry SDK, spans kept
 * in memory) and the real W3C propagator: send → process → dead letter → redrive, with the span
 * names, kinds, parents and the {@code traceparent}/{@code tracestate} headers on the stored
 * messages.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final ObservationRegistry registry = tracingRegistry();
  private final InMemoryStorage storage = new InMemoryStorage(InstantSource.system());
  private final Sluice sluice =
      Sluice.builder().storage(storage).observationRegistry(registry).build();

  TracingTest() {
    storage.createTopic("orders", TopicConfig.partitions(2));
    storage.createTopic("orders.dlq", TopicConfig.partitions(1));
    storage.createTopic("audit", TopicConfig.partitions(1));
  }

  private ObservationRegistry tracingRegistry() {
    io.opentelemetry.api.trace.Tracer otel = provider.get("sluice-test");
    ContextPropagators propagators =
        ContextPropagators.create(W3CTraceContextPropagator.getInstance());
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            otel, current, event -> {}, new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator = new OtelPropagator(propagators, otel);
    ObservationRegistry r = ObservationRegistry.create();
    r.observationConfig()
        .observationHandler(
            new FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    return r;
  }

  @AfterEach
  void close() {
    sluice.close();
    storage.close();
    provider.close();
  }

  private Message stored(String topic, Receipt r) {
    List<StoredMessage> m = storage.read(topic, r.partition(), r.offset(), 1);
    return m.get(0).message();
  }

  private static Matcher traceparent(Message m) {
    List<String> values = m.headers().values("traceparent");
    assertThat(values).as("one traceparent header").hasSize(1);
    Matcher match = TRACEPARENT.matcher(values.get(0));
    assertThat(match.matches()).as("W3C format: %s", values.get(0)).isTrue();
    return match;
  }

  private SpanData span(String name) {
    await()
        .atMost(WAIT)
        .until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(name)));
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<SpanData> spans(String name, int count) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).count()
                    >= count);
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static String attribute(SpanData s, String key) {
    return s.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void aSentMessageCarriesTheSendSpansTraceparentAndItsProcessingIsAChildOfIt() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Receipt r = sluice.producer().send("orders", Message.of("o-1"));

    SpanData send = span("orders send");
    assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(send.getParentSpanContext().isValid()).as("a root span").isFalse();
    assertThat(attribute(send, "messaging.system")).isEqualTo("sluice");
    assertThat(attribute(send, "messaging.operation")).isEqualTo("publish");
    assertThat(attribute(send, "messaging.destination.name")).isEqualTo("orders");
    assertThat(attribute(send, "messaging.message.id")).isEqualTo(r.partition() + "-" + r.offset());
    Matcher header = traceparent(stored("orders", r));
    assertThat(header.group(1)).isEqualTo(send.getTraceId());
    assertThat(header.group(2)).isEqualTo(send.getSpanId());

    try (ConsumerGroup g =
        sluice
            .consumer("billing")
            .subscribe("orders")
            .handler(
                d -> {
                  seen.add(d.payloadAsString());
                  sluice.producer().send("audit", Message.of("paid " + d.payloadAsString()));
                })
            .start()) {
      SpanData process = span("orders process");
      assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
      assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
      assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
      assertThat(attribute(process, "messaging.operation")).isEqualTo("process");
      assertThat(attribute(process, "messaging.destination.name")).isEqualTo("orders");
      assertThat(attribute(process, "messaging.consumer.group.name")).isEqualTo("billing");
      assertThat(attribute(process, "sluice.listener.id"))
          .as("the group name without a listener id")
          .isEqualTo("billing");
      assertThat(attribute(process, "messaging.message.delivery_count")).isEqualTo("1");

      SpanData audit = span("audit send");
      assertThat(audit.getTraceId()).isEqualTo(send.getTraceId());
      assertThat(audit.getParentSpanId())
          .as("a send from the handler is a child of the processing")
          .isEqualTo(process.getSpanId());
      Message forwarded = storage.read("audit", 0, 0, 1).get(0).message();
      assertThat(traceparent(forwarded).group(2)).isEqualTo(audit.getSpanId());
    }
    assertThat(seen).containsExactly("o-1");
  }

  @Test
  void anIncomingTraceparentAndTracestateAreContinuedAndPassedOn() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String remoteSpan = "00f067aa0ba902b7";
    Message m =
        Message.builder("from another service")
            .header("traceparent", "00-" + traceId + "-" + remoteSpan + "-01")
            .header("tracestate", "vendor=opaque-value")
            .build();
    // Written to the store directly, as another service's producer would: no send span here.
    storage.append("orders", List.of(io.sluice.spi.OutgoingMessage.toPartition(m, 0)));

    try (ConsumerGroup g =
        sluice
            .consumer("billing")
            .listenerId("billing-listener")
            .subscribe("orders")
            .handler(d -> sluice.producer().send("audit", Message.of("seen")))
            .start()) {
      SpanData process = span("orders process");
      assertThat(process.getTraceId()).isEqualTo(traceId);
      assertThat(process.getParentSpanId()).isEqualTo(remoteSpan);
      assertThat(process.getParentSpanContext().isRemote()).isTrue();
      assertThat(attribute(process, "sluice.listener.id")).isEqualTo("billing-listener");
      span("audit send");
      Message forwarded = storage.read("audit", 0, 0, 1).get(0).message();
      assertThat(traceparent(forwarded).group(1)).isEqualTo(traceId);
      assertThat(forwarded.headers().values("tracestate")).containsExactly("vendor=opaque-value");
    }
  }

  @Test
  void aDeadLetterContinuesTheTraceUnderTheFailedRunAndARedriveContinuesItAgain() {
    Receipt r = sluice.producer().send("orders", Message.of("poison"));
    SpanData send = span("orders send");
    List<Integer> runs = new CopyOnWriteArrayList<>();
    ConsumerGroup g =
        sluice
            .consumer("billing")
            .subscribe("orders")
            .retry(RetryPolicy.maxAttempts(1))
            .handler(
                d -> {
                  runs.add(d.attempt());
                  if (runs.size() == 1) {
                    throw new IllegalStateException("card declined");
                  }
                })
            .start();
    try {
      SpanData failed = span("orders process");
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getParentSpanId()).isEqualTo(send.getSpanId());
      SpanData deadLetter = span("orders.dlq send");
      assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(deadLetter.getTraceId()).isEqualTo(send.getTraceId());
      assertThat(deadLetter.getParentSpanId())
          .as("writing the dead letter is part of the failed run")
          .isEqualTo(failed.getSpanId());
      assertThat(attribute(deadLetter, "messaging.destination.name")).isEqualTo("orders.dlq");

      await().atMost(WAIT).until(() -> sluice.admin().countDeadLetters("orders.dlq") == 1);
      DeadLetter entry = sluice.admin().deadLetters("orders.dlq", 10).get(0);
      assertThat(entry.originalOffset()).isEqualTo(r.offset());
      Matcher dlqHeader = traceparent(entry.message());
      assertThat(dlqHeader.group(1)).isEqualTo(send.getTraceId());
      assertThat(dlqHeader.group(2)).isEqualTo(deadLetter.getSpanId());

      assertThat(sluice.admin().redrive("orders.dlq")).isEqualTo(1);
      List<SpanData> processed = spans("orders process", 2);
      SpanData again =
          processed.stream()
              .filter(s -> !s.getSpanId().equals(failed.getSpanId()))
              .findFirst()
              .orElseThrow();
      assertThat(again.getTraceId())
          .as("the redrive continues the trace")
          .isEqualTo(send.getTraceId());
      assertThat(again.getParentSpanId()).isEqualTo(deadLetter.getSpanId());
      assertThat(again.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
      assertThat(runs).hasSize(2);
    } finally {
      g.close();
    }
  }

  @Test
  void sendAllGivesEachMessageItsOwnSpanAndHeader() {
    List<Receipt> receipts =
        sluice.producer().sendAll("orders", List.of(Message.of("a"), Message.of("b")));
    List<SpanData> sent = spans("orders send", 2);
    assertThat(sent).extracting(SpanData::getSpanId).doesNotHaveDuplicates();
    for (Receipt r : receipts) {
      String spanId = traceparent(stored("orders", r)).group(2);
      Optional<SpanData> own = sent.stream().filter(s -> s.getSpanId().equals(spanId)).findFirst();
      assertThat(own).isPresent();
      assertThat(attribute(own.get(), "messaging.message.id"))
          .isEqualTo(r.partition() + "-" + r.offset());
    }
  }

  @Test
  void aMessageThatAlreadyHasATraceparentGetsTheNewOneInItsPlace() {
    Message copied =
        Message.builder("forwarded")
            .header("traceparent", "00-11111111111111111111111111111111-2222222222222222-01")
            .header("x-app", "kept")
            .build();
    Receipt r = sluice.producer().send("orders", copied);
    SpanData send = span("orders send");
    Message stored = stored("orders", r);
    assertThat(traceparent(stored).group(2)).isEqualTo(send.getSpanId());
    assertThat(stored.headers().values("x-app")).containsExactly("kept");
  }

  @Test
  void withoutAnObservationRegistryMessagesAreStoredAsGiven() {
    try (Sluice plain = Sluice.builder().storage(storage).build();
        Sluice noHandlers =
            Sluice.builder()
                .storage(storage)
                .observationRegistry(ObservationRegistry.create())
                .build()) {
      Message m = Message.builder("plain").header("x-app", "1").build();
      Receipt a = plain.producer().send("orders", m);
      Receipt b = noHandlers.producer().send("orders", m);
      assertThat(stored("orders", a).headers()).isEqualTo(m.headers());
      assertThat(stored("orders", b).headers()).isEqualTo(m.headers());
    }
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
