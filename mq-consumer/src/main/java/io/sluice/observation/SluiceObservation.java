package io.sluice.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations Sluice makes, in the manner of Spring Kafka's {@code KafkaTemplateObservation}
 * and {@code KafkaListenerObservation}: one per message sent (span kind PRODUCER) and one per
 * handler run (span kind CONSUMER). With Micrometer's default meter handler each also becomes a
 * timer of the same name (tagged with the low-cardinality keys and {@code error}).
 *
 * <table>
 *   <caption>Observations</caption>
 *   <tr><th>name</th><th>contextual name (span)</th><th>low-cardinality keys</th><th>high-cardinality
 *       keys</th></tr>
 *   <tr><td>{@code sluice.send}</td><td>{@code <topic> send}</td><td>{@code messaging.system},
 *       {@code messaging.operation} ({@code publish}), {@code messaging.destination.name}</td><td>
 *       {@code messaging.destination.partition.id}, {@code messaging.message.id} (partition and
 *       offset, once stored)</td></tr>
 *   <tr><td>{@code sluice.process}</td><td>{@code <topic> process}</td><td>{@code
 *       messaging.system}, {@code messaging.operation} ({@code process}), {@code
 *       messaging.destination.name}, {@code messaging.consumer.group.name}, {@code
 *       sluice.listener.id}</td><td>{@code messaging.destination.partition.id}, {@code
 *       messaging.message.id}, {@code messaging.message.delivery_count}</td></tr>
 * </table>
 */
public enum SluiceObservation implements ObservationDocumentation {

  /** A message sent to a topic, from the call until it is stored (or the send failed). */
  SEND {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultSluiceSendObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return new KeyName[] {
        LowCardinalityKeys.MESSAGING_SYSTEM,
        LowCardinalityKeys.MESSAGING_OPERATION,
        LowCardinalityKeys.DESTINATION_NAME
      };
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return new KeyName[] {HighCardinalityKeys.PARTITION, HighCardinalityKeys.MESSAGE_ID};
    }
  },

  /** A handler run on one delivery, including settling it (ack, retry or dead letter). */
  PROCESS {
    @Override
    public Class<? extends ObservationConvention<? extends Observation.Context>>
        getDefaultConvention() {
      return DefaultSluiceProcessObservationConvention.class;
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return LowCardinalityKeys.values();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return HighCardinalityKeys.values();
    }
  };

  /** The low-cardinality keys (metric tags and span attributes). */
  public enum LowCardinalityKeys implements KeyName {
    /** Always {@code sluice}. */
    MESSAGING_SYSTEM {
      @Override
      public String asString() {
        return "messaging.system";
      }
    },

    /** {@code publish} for a send, {@code process} for a handler run. */
    MESSAGING_OPERATION {
      @Override
      public String asString() {
        return "messaging.operation";
      }
    },

    /** The topic sent to, or consumed from. */
    DESTINATION_NAME {
      @Override
      public String asString() {
        return "messaging.destination.name";
      }
    },

    /** The consumer group (processing only). */
    CONSUMER_GROUP {
      @Override
      public String asString() {
        return "messaging.consumer.group.name";
      }
    },

    /** The listener id: the Spring listener's id, else the group name (processing only). */
    LISTENER_ID {
      @Override
      public String asString() {
        return "sluice.listener.id";
      }
    }
  }

  /** The high-cardinality keys (span attributes only, never metric tags). */
  public enum HighCardinalityKeys implements KeyName {
    /** The partition. */
    PARTITION {
      @Override
      public String asString() {
        return "messaging.destination.partition.id";
      }
    },

    /** {@code <partition>-<offset>}: the message's position, unique within its topic. */
    MESSAGE_ID {
      @Override
      public String asString() {
        return "messaging.message.id";
      }
    },

    /** The attempt number of this delivery, 1 for the first (processing only). */
    DELIVERY_COUNT {
      @Override
      public String asString() {
        return "messaging.message.delivery_count";
      }
    }
  }
}
