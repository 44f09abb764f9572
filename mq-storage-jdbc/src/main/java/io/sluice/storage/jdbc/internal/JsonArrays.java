package io.sluice.storage.jdbc.internal;

import java.lang.reflect.Type;
import java.sql.Types;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;

/**
 * Binds the arrays and iterables of {@code bindArray} (never {@code byte[]}) as JSON text, for
 * databases without SQL arrays (MariaDB): {@code ["a","b"]} or {@code [1,2]}. The statements expand
 * them with {@code JSON_TABLE(:keys, '$[*]' COLUMNS (v ... PATH '$'))}, so a list stays one bound
 * parameter, whatever its length, and never text in the SQL.
 */
final class JsonArrays implements ArgumentFactory.Preparable {

  @Override
  public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
    Class<?> raw = GenericTypes.getErasedType(type);
    if (raw.isArray() && !raw.getComponentType().isPrimitive()) {
      return Optional.of(value -> argument(value == null ? null : encode((Object[]) value)));
    }
    if (Iterable.class.isAssignableFrom(raw)) {
      return Optional.of(
          value -> argument(value == null ? null : encode(toArray((Iterable<?>) value))));
    }
    return Optional.empty();
  }

  private static Argument argument(String json) {
    return (position, statement, ctx) -> {
      if (json == null) {
        statement.setNull(position, Types.VARCHAR);
      } else {
        statement.setString(position, json);
      }
    };
  }

  private static Object[] toArray(Iterable<?> values) {
    java.util.List<Object> list = new java.util.ArrayList<>();
    values.forEach(list::add);
    return list.toArray();
  }

  /** The values as a JSON array: numbers as numbers, anything else as strings. */
  static String encode(Object[] values) {
    StringBuilder out = new StringBuilder(8 * values.length + 2).append('[');
    for (Object v : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      if (v == null) {
        out.append("null");
      } else if (v instanceof Number n) {
        out.append(n.longValue());
      } else {
        HeadersCodec.quote(out, v.toString());
      }
    }
    return out.append(']').toString();
  }
}
