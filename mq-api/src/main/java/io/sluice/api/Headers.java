package io.sluice.api;

import io.sluice.api.internal.Validation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The ordered, immutable headers of a message. A name may appear more than once; order is kept
 * exactly as added, and {@link #lastValue} gives the most recent value for a name.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(List.of());

  private final List<Header> headers;

  private Headers(List<Header> headers) {
    this.headers = headers;
  }

  /** No headers. */
  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("a", "1", "b", "2")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new io.sluice.api.error.InvalidMessageException(
          "headers need name/value pairs, found an odd count " + namesAndValues.length);
    }
    List<Header> list = new ArrayList<>(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      list.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
    }
    return of(list);
  }

  /** Headers from a list, kept in its order. */
  public static Headers of(List<Header> headers) {
    if (headers.isEmpty()) {
      return EMPTY;
    }
    Validation.headerCount(headers.size());
    for (Header h : headers) {
      if (h == null) {
        throw new io.sluice.api.error.InvalidMessageException("header must not be null");
      }
    }
    return new Headers(List.copyOf(headers));
  }

  /** These headers plus one more at the end. */
  public Headers with(String name, String value) {
    List<Header> list = new ArrayList<>(headers.size() + 1);
    list.addAll(headers);
    list.add(new Header(name, value));
    return of(list);
  }

  /** The last value of a header, if present. */
  public Optional<String> lastValue(String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).name().equals(name)) {
        return Optional.of(headers.get(i).value());
      }
    }
    return Optional.empty();
  }

  /** Every value of a header, in order. */
  public List<String> values(String name) {
    List<String> values = new ArrayList<>(1);
    for (Header h : headers) {
      if (h.name().equals(name)) {
        values.add(h.value());
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** All headers, in order. */
  public List<Header> asList() {
    return headers;
  }

  public int size() {
    return headers.size();
  }

  public boolean isEmpty() {
    return headers.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Headers other && headers.equals(other.headers);
  }

  @Override
  public int hashCode() {
    return headers.hashCode();
  }

  @Override
  public String toString() {
    return headers.toString();
  }
}
