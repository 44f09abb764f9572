package io.sluice.dashboard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** A write request's JSON object body, with typed getters that name the field in their errors. */
public final class Body {
  private final Map<String, ?> fields;

  /** A body of {@code fields}; null values count as absent. */
  public Body(Map<String, ?> fields) {
    this.fields = fields == null ? Map.of() : fields;
  }

  /** Parses {@code bytes} as a JSON object; an empty body is an empty object. */
  public static Body parse(JsonMapper json, byte[] bytes) {
    if (bytes.length == 0) {
      return new Body(Map.of());
    }
    Object value;
    try {
      value = json.readValue(bytes, Object.class);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "the body must be a JSON object: " + e.getOriginalMessage(), e);
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, ?> fields = (Map<String, ?>) map;
      return new Body(fields);
    }
    throw new IllegalArgumentException(
        "the body must be a JSON object, found " + (value == null ? "null" : "a JSON array/value"));
  }

  /** The field as a string, or null when absent or blank. */
  public String string(String name) {
    Object v = fields.get(name);
    if (v == null) {
      return null;
    }
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? null : s;
  }

  /** The field as a long, or null when absent. */
  public Long longValue(String name) {
    Object v = fields.get(name);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, found " + v);
    }
  }

  /** The field as a boolean ({@code true}, {@code "true"}), false when absent. */
  public boolean flag(String name) {
    Object v = fields.get(name);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(name + " must be true or false, found " + v);
  }

  /** The field as a list of strings: a JSON array, or a comma-separated string; empty if absent. */
  public List<String> strings(String name) {
    Object v = fields.get(name);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> list) {
      list.forEach(x -> out.add(String.valueOf(x).trim()));
    } else if (v != null) {
      for (String s : String.valueOf(v).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  /** Parses a query parameter as an int, {@code otherwise} when absent. */
  public static int intOr(String value, int otherwise, String name) {
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, found " + value);
    }
  }
}
