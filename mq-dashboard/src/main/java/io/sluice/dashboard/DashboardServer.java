package io.sluice.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.consumer.SluiceAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts the dashboard ({@link DashboardApi}: the page at {@code /}, JSON under {@code /api/}) on
 * the JDK's HTTP server, one virtual thread per request, for stores without Spring ({@code sluice
 * ui}). It samples lag in the background for the chart.
 *
 * <pre>{@code
 * try (DashboardServer ui =
 *     DashboardServer.start(sluice.admin(), new InetSocketAddress("127.0.0.1", 8080))) {
 *   System.out.println("dashboard at " + ui.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Security.</b> The server has no login: anyone who can reach the address can read and change
 * the store (pause groups, reset offsets, redrive and purge dead letters). Bind it to a loopback
 * address (the default of {@code sluice ui}) and reach it through SSH port forwarding, or put an
 * authenticating proxy in front. Writes are CSRF-safe (see {@link DashboardApi}); on a loopback
 * address the server also refuses requests whose {@code Host} is not a loopback name, so a page
 * from another site cannot reach it through DNS rebinding.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final DashboardApi api;
  private final boolean loopback;

  private DashboardServer(HttpServer server, ExecutorService executor, DashboardApi api) {
    this.server = server;
    this.executor = executor;
    this.api = api;
    this.loopback = server.getAddress().getAddress().isLoopbackAddress();
  }

  /**
   * Starts the dashboard over {@code admin} on {@code address} (port 0 picks a free port; see
   * {@link #uri()}). The caller keeps owning {@code admin} and closes it after this server.
   *
   * @throws UncheckedIOException if the address cannot be bound (for example, the port is taken)
   */
  public static DashboardServer start(SluiceAdmin admin, InetSocketAddress address) {
    return start(admin, address, false);
  }

  /**
   * Like {@link #start(SluiceAdmin, InetSocketAddress)}; with {@code readOnly} every write gets 403
   * and the page shows its buttons disabled (for a store opened for reading only).
   */
  public static DashboardServer start(
      SluiceAdmin admin, InetSocketAddress address, boolean readOnly) {
    return start(admin, address, DashboardApi.DEFAULT_SAMPLE_INTERVAL, readOnly);
  }

  /** Like {@link #start(SluiceAdmin, InetSocketAddress, boolean)}, sampling every interval. */
  static DashboardServer start(
      SluiceAdmin admin, InetSocketAddress address, Duration sampleInterval, boolean readOnly) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(address, "address");
    DashboardApi api =
        new DashboardApi(
            admin,
            InstantSource.system(),
            sampleInterval,
            DashboardApi.DEFAULT_HISTORY_SIZE,
            readOnly);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard on " + address, e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    DashboardServer ui = new DashboardServer(server, executor, api);
    server.createContext("/", ui::exchange);
    server.setExecutor(executor);
    server.start();
    api.startSampling();
    log.info("Sluice dashboard at {}", ui.uri());
    return ui;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** Stops serving (requests under way get a second to finish) and sampling; idempotent. */
  @Override
  public void close() {
    api.close();
    server.stop(1);
    executor.shutdownNow();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      DashboardApi.Response response;
      if (loopback && !loopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
        response =
            new DashboardApi.Response(
                421,
                "text/plain; charset=utf-8",
                "this dashboard answers only to a loopback host name\n"
                    .getBytes(StandardCharsets.UTF_8));
      } else {
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
          response =
              new DashboardApi.Response(
                  413,
                  "text/plain; charset=utf-8",
                  "request body over 64 KiB\n".getBytes(StandardCharsets.UTF_8));
        } else {
          response = api.handle(request(exchange, body));
        }
      }
      var headers = exchange.getResponseHeaders();
      headers.set("Content-Type", response.contentType());
      headers.set("Cache-Control", "no-store");
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
      exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  private static DashboardApi.Request request(HttpExchange exchange, byte[] body) {
    URI uri = exchange.getRequestURI();
    String method = exchange.getRequestMethod();
    if ("HEAD".equalsIgnoreCase(method)) {
      method = "GET";
    }
    return new DashboardApi.Request(
        method,
        uri.getRawPath(),
        query(uri.getRawQuery()),
        exchange.getRequestHeaders().getFirst("Content-Type"),
        body);
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : bytes;
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return out;
  }

  static boolean loopbackHost(String host) {
    if (host == null) {
      return false;
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? h : h.substring(1, end);
    } else if (h.indexOf(':') >= 0) {
      h = h.substring(0, h.indexOf(':'));
    }
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
  }
}
