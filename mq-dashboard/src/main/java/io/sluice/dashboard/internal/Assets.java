package io.sluice.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The page: {@code index.html} with {@code dashboard.css} and {@code dashboard.js} inlined, so it
 * works at any mount point with or without a trailing slash (no relative URL to resolve). Read from
 * the classpath once.
 */
public final class Assets {
  private static final String DIR = "/io/sluice/dashboard/";

  private Assets() {}

  private static final class Holder {
    static final byte[] PAGE = assemble();
  }

  /** The page's bytes (UTF-8 HTML). */
  public static byte[] page() {
    return Holder.PAGE.clone();
  }

  private static byte[] assemble() {
    String html = read("index.html");
    html = html.replace("/*STYLE*/", read("dashboard.css"));
    html = html.replace("/*SCRIPT*/", read("dashboard.js"));
    return html.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(String name) {
    try (InputStream in = Assets.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard resource " + DIR + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dashboard resource " + DIR + name, e);
    }
  }
}
