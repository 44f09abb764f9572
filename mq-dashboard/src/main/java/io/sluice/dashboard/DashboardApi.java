package io.sluice.dashboard;

import io.sluice.api.error.InvalidRequestException;
import io.sluice.api.error.SluiceException;
import io.sluice.api.error.TopicNotFoundException;
import io.sluice.api.error.UnsupportedCapabilityException;
import io.sluice.consumer.SluiceAdmin;
import io.sluice.dashboard.internal.Assets;
import io.sluice.dashboard.internal.Body;
import io.sluice.dashboard.internal.History;
import io.sluice.dashboard.internal.Operations;
import io.sluice.dashboard.internal.Views;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's page and JSON endpoints, written once and hosted by {@link DashboardServer} (the
 * JDK's HTTP server, {@code sluice ui}) or by the Spring integration (under Actuator). A host maps
 * each HTTP request to a {@link Request} and writes back the {@link Response}; paths are relative
 * to where the host mounts the dashboard. Thread-safe.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>Method and path</th><th>Body</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /}</td><td></td><td>the page (HTML with its script and style inline)</td></tr>
 *   <tr><td>{@code GET /api/overview}</td><td></td><td>topics with partitions, end offsets and
 *       retained size; groups with lag per partition and pause state</td></tr>
 *   <tr><td>{@code GET /api/history}</td><td></td><td>lag and throughput per group and topic,
 *       sampled every few seconds over the last minutes</td></tr>
 *   <tr><td>{@code GET /api/dlq/{topic}?limit=N}</td><td></td><td>pending dead letters with their
 *       headers (reason, error, attempts, original position)</td></tr>
 *   <tr><td>{@code POST /api/dlq/{topic}/redrive}</td><td>filter</td><td>{@code {"redriven":n}}</td></tr>
 *   <tr><td>{@code POST /api/dlq/{topic}/purge}</td><td>filter</td><td>{@code {"purged":n}}</td></tr>
 *   <tr><td>{@code POST /api/groups/{group}/pause}</td><td>{@code {"topic":…}} or {@code {}}</td>
 *       <td>the group's pause state</td></tr>
 *   <tr><td>{@code POST /api/groups/{group}/resume}</td><td>as pause</td><td>as pause</td></tr>
 *   <tr><td>{@code POST /api/groups/{group}/reset}</td><td>{@code {"topic", "to":
 *       earliest|latest|offset|time, "offset", "time", "partition", "dryRun"}}</td><td>each
 *       partition's offset before and after</td></tr>
 * </table>
 *
 * <p>A dead-letter filter is a JSON object with any of {@code group} and {@code originalTopic}
 * (equal to the entry's), {@code text} (found in its reason, error class or message), {@code from}
 * and {@code until} (ISO-8601 instants bounding its last failure), or else {@code ids}: the entries
 * {@code "partition:offset"}, as a JSON array or one comma-separated string. An empty object
 * matches every pending entry.
 *
 * <p><b>Writes are CSRF-safe.</b> Every write is a {@code POST} whose body must be JSON ({@code
 * Content-Type: application/json}); anything else gets 405 or 415. A browser sends such a request
 * to another origin only after a CORS preflight, which no host of the dashboard answers, so another
 * site cannot make a visitor's browser change anything. Reads never change anything.
 *
 * <p>Errors are JSON too, {@code {"status": 400, "error": "...", "message": "..."}}: 400 for bad
 * input, 403 for a write to a read-only dashboard, 404 for an unknown topic or route, 409 for an
 * operation the store does not support, 500 for a storage failure.
 */
public final class DashboardApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardApi.class);
  private static final String JSON = "application/json";

  /** How often {@link #startSampling()} samples lag by default. */
  public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(5);

  /** How many samples the history keeps by default (ten minutes at the default interval). */
  public static final int DEFAULT_HISTORY_SIZE = 120;

  private final Operations ops;
  private final Views views;
  private final History history;
  private final Duration sampleInterval;
  private final boolean readOnly;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Object samplerLock = new Object();
  private ScheduledExecutorService sampler;

  /** The dashboard over {@code admin}, sampling every {@link #DEFAULT_SAMPLE_INTERVAL}. */
  public DashboardApi(SluiceAdmin admin) {
    this(admin, InstantSource.system(), DEFAULT_SAMPLE_INTERVAL, DEFAULT_HISTORY_SIZE);
  }

  /**
   * The dashboard over {@code admin}.
   *
   * @param clock the clock samples are stamped with
   * @param sampleInterval how often {@link #startSampling()} samples lag, at least 100 ms
   * @param historySize how many samples the history keeps, at least 2
   */
  public DashboardApi(
      SluiceAdmin admin, InstantSource clock, Duration sampleInterval, int historySize) {
    this(admin, clock, sampleInterval, historySize, false);
  }

  /**
   * The dashboard over {@code admin}; a read-only one answers every write with 403 and tells the
   * page to disable its buttons (for a store opened for reading only).
   *
   * @param clock the clock samples are stamped with
   * @param sampleInterval how often {@link #startSampling()} samples lag, at least 100 ms
   * @param historySize how many samples the history keeps, at least 2
   * @param readOnly whether writes are refused
   */
  public DashboardApi(
      SluiceAdmin admin,
      InstantSource clock,
      Duration sampleInterval,
      int historySize,
      boolean readOnly) {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(clock, "clock");
    if (sampleInterval == null || sampleInterval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "sampleInterval must be at least 100ms, found " + sampleInterval);
    }
    if (historySize < 2) {
      throw new IllegalArgumentException("historySize must be at least 2, found " + historySize);
    }
    this.ops = new Operations(admin);
    this.views = new Views(admin);
    this.history = new History(clock, historySize);
    this.sampleInterval = sampleInterval;
    this.readOnly = readOnly;
  }

  /**
   * One HTTP request, as a host hands it over.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param path the path below the dashboard's mount point, e.g. {@code /api/overview}; {@code ""}
   *     or {@code /} for the page
   * @param query the query parameters (decoded), never null
   * @param contentType the request's {@code Content-Type}, or null
   * @param body the request body, empty for none
   */
  public record Request(
      String method, String path, Map<String, String> query, String contentType, byte[] body) {
    public Request {
      Objects.requireNonNull(method, "method");
      path = path == null ? "" : path;
      query = query == null ? Map.of() : Map.copyOf(query);
      body = body == null ? new byte[0] : body;
    }
  }

  /**
   * The answer to a {@link Request}.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type} to send
   * @param body the bytes to send
   */
  public record Response(int status, String contentType, byte[] body) {}

  /** Answers one request; never throws for bad input or a storage failure (it answers an error). */
  public Response handle(Request request) {
    List<String> segments = segments(request.path());
    String method = request.method().toUpperCase(Locale.ROOT);
    try {
      if (segments.isEmpty()) {
        return "GET".equals(method)
            ? new Response(200, "text/html; charset=utf-8", Assets.page())
            : error(405, "method_not_allowed", method + " / is not supported; use GET");
      }
      if (!"api".equals(segments.get(0))) {
        return error(404, "not_found", "no such page: " + request.path());
      }
      List<String> rest = segments.subList(1, segments.size());
      if ("GET".equals(method)) {
        return read(rest, request.query());
      }
      if (!"POST".equals(method)) {
        return error(405, "method_not_allowed", method + " is not supported; writes use POST");
      }
      if (readOnly) {
        return error(
            403, "read_only", "this dashboard is read-only: the store is open for reading");
      }
      if (!isJson(request.contentType())) {
        return error(
            415,
            "unsupported_media_type",
            "writes need Content-Type: application/json, found " + request.contentType());
      }
      return write(rest, Body.parse(json, request.body()));
    } catch (TopicNotFoundException e) {
      return error(404, "topic_not_found", e.getMessage());
    } catch (UnsupportedCapabilityException e) {
      return error(409, "unsupported", e.getMessage());
    } catch (InvalidRequestException | IllegalArgumentException e) {
      return error(400, "bad_request", e.getMessage());
    } catch (SluiceException e) {
      log.warn("dashboard request {} {} failed", method, request.path(), e);
      return error(500, "storage_error", e.getMessage());
    }
  }

  private Response read(List<String> route, Map<String, String> query) {
    String what = route.isEmpty() ? "" : route.get(0);
    if (route.size() == 1 && "overview".equals(what)) {
      return ok(views.overview(readOnly));
    }
    if (route.size() == 1 && "history".equals(what)) {
      return ok(history.view(sampleInterval));
    }
    if (route.size() == 2 && "dlq".equals(what)) {
      int limit = Body.intOr(query.get("limit"), 50, "limit");
      if (limit < 1 || limit > 1000) {
        throw new IllegalArgumentException("limit must be between 1 and 1000, found " + limit);
      }
      return ok(views.deadLetters(route.get(1), limit));
    }
    return error(404, "not_found", "no such endpoint: GET /api/" + String.join("/", route));
  }

  private Response write(List<String> route, Body body) {
    if (route.size() == 3 && "dlq".equals(route.get(0))) {
      String topic = route.get(1);
      switch (route.get(2)) {
        case "redrive" -> {
          return ok(Map.of("deadLetterTopic", topic, "redriven", ops.redrive(topic, body)));
        }
        case "purge" -> {
          return ok(Map.of("deadLetterTopic", topic, "purged", ops.purge(topic, body)));
        }
        default -> {}
      }
    }
    if (route.size() == 3 && "groups".equals(route.get(0))) {
      String group = route.get(1);
      switch (route.get(2)) {
        case "pause" -> {
          return ok(ops.pause(group, body.string("topic"), true));
        }
        case "resume" -> {
          return ok(ops.pause(group, body.string("topic"), false));
        }
        case "reset" -> {
          return ok(ops.reset(group, body));
        }
        default -> {}
      }
    }
    return error(404, "not_found", "no such endpoint: POST /api/" + String.join("/", route));
  }

  /**
   * Records one lag sample of every group on every topic now; {@link #startSampling()} calls it
   * periodically, tests and hosts may call it directly.
   */
  public void sample() {
    history.record(views.overview(readOnly).groups());
  }

  /**
   * Starts sampling lag every interval on a daemon thread, until {@link #close()}; idempotent. A
   * failed sample is logged and the next one runs as planned.
   */
  public void startSampling() {
    synchronized (samplerLock) {
      if (sampler != null) {
        return;
      }
      sampler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sluice-dashboard-sampler");
                t.setDaemon(true);
                return t;
              });
      sampler.scheduleWithFixedDelay(
          this::sampleQuietly, 0, sampleInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      log.warn("dashboard lag sample failed; the next runs in {}", sampleInterval, e);
    }
  }

  /** Stops sampling; idempotent. The admin (and its storage) stays open: the caller owns it. */
  @Override
  public void close() {
    synchronized (samplerLock) {
      if (sampler != null) {
        sampler.shutdownNow();
        sampler = null;
      }
    }
  }

  private Response ok(Object value) {
    try {
      return new Response(200, JSON, json.writeValueAsBytes(value));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write the dashboard's JSON", e);
    }
  }

  private Response error(int status, String error, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", error);
    body.put("message", message == null ? "" : message);
    return new Response(status, JSON, json.writeValueAsBytes(body));
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals(JSON) || (type.startsWith("application/") && type.endsWith("+json"));
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
