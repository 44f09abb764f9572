package io.sluice.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Headers;
import io.sluice.api.Message;
import io.sluice.api.TopicConfig;
import io.sluice.spi.OutgoingMessage;
import io.sluice.spi.tck.SettableClock;
import io.sluice.storage.jdbc.internal.Migrations;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Headers readable in SQL on PostgreSQL (issue 13.5): stored as jsonb pairs, queried with {@code
 * jsonb_array_elements} and {@code @>}, and converted from the binary column of schema V3.
 */
class PostgresHeadersTest {
  @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();

  private static final Headers DEAD =
      Headers.of(
          List.of(
              new io.sluice.api.Header("sluice.dlq.reason", "failed \"twice\"\n"),
              new io.sluice.api.Header("tag", "a"),
              new io.sluice.api.Header("tag", "b ✓ 😀")));

  @Test
  void aDeadLettersReasonIsReadableWithPlainSql() throws Exception {
    try (JdbcStorage store = Stores.open(PG.dataSource(), PG.schema(), new SettableClock())) {
      Stores.empty(PG.dataSource(), PG.schema());
      store.createTopic("t.dlq", TopicConfig.partitions(1));
      Message m = Message.builder("x").headers(DEAD).key("k").build();
      store.append("t.dlq", List.of(OutgoingMessage.of(m), OutgoingMessage.of(Message.of("y"))));
      store.append("t.dlq", List.of(OutgoingMessage.toPartition(m, 0)));
      assertThat(store.read("t.dlq", 0, 0, 3))
          .extracting(s -> s.message().headers())
          .containsExactly(DEAD, Headers.empty(), DEAD);
      assertThat(reasons(PG.schema()))
          .containsExactly("0:failed \"twice\"\n", "2:failed \"twice\"\n");
      try (Connection c = PG.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT COUNT(*) FROM \""
                      + PG.schema()
                      + "\".mq_messages WHERE headers @> '[[\"tag\", \"b ✓ 😀\"]]'")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
  }

  private static List<String> reasons(String schema) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = PG.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT m.msg_offset, h->>1 FROM \""
                    + schema
                    + "\".mq_messages m CROSS JOIN jsonb_array_elements(m.headers) h"
                    + " WHERE h->>0 = 'sluice.dlq.reason' ORDER BY m.msg_offset")) {
      while (rs.next()) {
        out.add(rs.getLong(1) + ":" + rs.getString(2));
      }
    }
    return out;
  }

  /** Rows written with the binary headers of schema V3 read the same after the V4 conversion. */
  @Test
  void binaryHeadersOfSchemaVersion3AreConverted() throws Exception {
    String old = PG.schema() + "_v3";
    Flyway.configure(getClass().getClassLoader())
        .dataSource(PG.dataSource())
        .schemas(old)
        .defaultSchema(old)
        .createSchemas(true)
        .table(Migrations.HISTORY_TABLE)
        .locations("classpath:db/migration/postgresql")
        .target("3")
        .load()
        .migrate();
    String s = "\"" + old + "\".";
    try (Connection c = PG.dataSource().getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO "
                + s
                + "mq_topics (name, partitions, retention_bytes, retain_until_consumed,"
                + " dedupe_window_ms, max_message_bytes, created_at)"
                + " VALUES ('t', 1, 0, FALSE, 86400000, 1048576, now())");
        st.execute("INSERT INTO " + s + "mq_partitions SELECT id, 0, 2 FROM " + s + "mq_topics");
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO "
                  + s
                  + "mq_messages (topic_id, partition_no, msg_offset, headers, payload,"
                  + " msg_timestamp) SELECT id, 0, ?, ?, '\\x00', ? FROM "
                  + s
                  + "mq_topics")) {
        p.setObject(3, Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC));
        p.setLong(1, 0);
        p.setBytes(2, binary(DEAD));
        p.executeUpdate();
        p.setLong(1, 1);
        p.setBytes(2, null);
        p.executeUpdate();
      }
    }
    try (JdbcStorage upgraded = Stores.open(PG.dataSource(), old, new SettableClock())) {
      assertThat(upgraded.read("t", 0, 0, 2))
          .extracting(m -> m.message().headers())
          .containsExactly(DEAD, Headers.empty());
      assertThat(reasons(old)).containsExactly("0:failed \"twice\"\n");
    } finally {
      try (Connection c = PG.dataSource().getConnection();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA \"" + old + "\" CASCADE");
      }
    }
  }

  /** The V1-V3 column format: version 1, count, then length-prefixed UTF-8 names and values. */
  private static byte[] binary(Headers headers) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(1);
    out.writeInt(headers.size());
    for (io.sluice.api.Header h : headers.asList()) {
      for (String part : new String[] {h.name(), h.value()}) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
    }
    return bytes.toByteArray();
  }
}
