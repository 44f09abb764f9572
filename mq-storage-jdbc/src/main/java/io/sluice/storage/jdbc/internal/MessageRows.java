package io.sluice.storage.jdbc.internal;

import io.sluice.api.Message;
import io.sluice.spi.StoredMessage;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps {@code mq_messages} rows to and from messages. */
final class MessageRows {
  /** The columns every message query selects, in this order. */
  static final String COLUMNS =
      "msg_offset, msg_key, headers, payload, msg_timestamp, idempotency_key, deliver_at";

  private MessageRows() {}

  static StoredMessage read(ResultSet rs, StatementContext ctx, String topic, int partition)
      throws SQLException {
    Message message =
        new Message(
            rs.getBytes("payload"),
            rs.getString("msg_key"),
            HeadersCodec.decodeColumn(rs.getObject("headers")),
            Database.instant(rs, "msg_timestamp", ctx),
            rs.getString("idempotency_key"),
            Database.instant(rs, "deliver_at", ctx));
    return new StoredMessage(topic, partition, rs.getLong("msg_offset"), message);
  }

  /** Binds one message for {@code message_insert}; {@code json}: headers as JSON text. */
  static void bind(
      PreparedBatch batch, int topicId, int partition, long offset, Message m, boolean json) {
    batch
        .bind("topicId", topicId)
        .bind("partition", partition)
        .bind("offset", offset)
        .bind("key", m.key())
        .bind("headers", HeadersCodec.encode(m.headers(), json))
        .bind("payload", m.payload())
        .bind("timestamp", Database.ts(m.timestamp()))
        .bind("idempotencyKey", m.idempotencyKey())
        .bind("deliverAt", Database.ts(m.deliverAt()))
        .add();
  }
}
