package io.sluice.spring.actuate;

import io.sluice.dashboard.DashboardApi;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.MimeType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Actuator web endpoint {@code sluicedashboard}: Sluice's dashboard page ({@code GET
 * /actuator/sluicedashboard}) and its JSON API beneath it, the same {@link DashboardApi} that
 * {@code sluice ui} serves. Turn it on with {@code sluice.dashboard.enabled=true} and expose it
 * with {@code management.endpoints.web.exposure.include=sluicedashboard}; it then follows
 * Actuator's conventions: the management port and base path, {@code
 * management.endpoint.sluicedashboard.access} ({@code read-only} removes every write), and whatever
 * Spring Security rules the application applies to {@code EndpointRequest.toAnyEndpoint()}.
 *
 * <p>Reads are {@code GET}; writes are {@code POST} with a JSON body, as for every Actuator write
 * operation, so another site cannot forge one from a visitor's browser (see {@link DashboardApi}).
 * The write's JSON fields become this class's parameters and are handed back to {@link
 * DashboardApi} as one body; Actuator reads a body's values as strings, so {@code ids} is a
 * comma-separated string here (the page sends it so).
 */
@WebEndpoint(id = "sluicedashboard")
public class SluiceDashboardEndpoint implements AutoCloseable {
  private static final String HTML = "text/html";
  private static final String JSON = "application/json";

  private final DashboardApi api;
  private final JsonMapper json = JsonMapper.builder().build();

  /** The endpoint over {@code api}; {@link #close()} closes it. */
  public SluiceDashboardEndpoint(DashboardApi api) {
    this.api = api;
  }

  /** The page. */
  @ReadOperation(produces = HTML)
  public WebEndpointResponse<byte[]> page() {
    return answer(api.handle(new DashboardApi.Request("GET", "/", Map.of(), null, null)));
  }

  /**
   * A read of the JSON API, e.g. {@code api/overview}.
   *
   * @param limit for {@code api/dlq/{topic}}, how many entries
   */
  @ReadOperation(produces = {JSON, HTML})
  public WebEndpointResponse<byte[]> read(
      @Selector(match = Selector.Match.ALL_REMAINING) String[] path, @Nullable String limit) {
    Map<String, String> query = limit == null ? Map.of() : Map.of("limit", limit);
    return answer(api.handle(new DashboardApi.Request("GET", join(path), query, null, null)));
  }

  /**
   * A write of the JSON API, e.g. {@code api/groups/billing/pause}; the parameters are the JSON
   * body's fields (see {@link DashboardApi} for which route reads which).
   */
  @WriteOperation(produces = JSON)
  public WebEndpointResponse<byte[]> write(
      @Selector(match = Selector.Match.ALL_REMAINING) String[] path,
      @Nullable String topic,
      @Nullable String to,
      @Nullable String offset,
      @Nullable String time,
      @Nullable String partition,
      @Nullable String dryRun,
      @Nullable String group,
      @Nullable String originalTopic,
      @Nullable String text,
      @Nullable String from,
      @Nullable String until,
      @Nullable String ids) {
    Map<String, Object> body = new LinkedHashMap<>();
    put(body, "topic", topic);
    put(body, "to", to);
    put(body, "offset", offset);
    put(body, "time", time);
    put(body, "partition", partition);
    put(body, "dryRun", dryRun);
    put(body, "group", group);
    put(body, "originalTopic", originalTopic);
    put(body, "text", text);
    put(body, "from", from);
    put(body, "until", until);
    put(body, "ids", ids);
    return answer(
        api.handle(
            new DashboardApi.Request(
                "POST", join(path), Map.of(), JSON, json.writeValueAsBytes(body))));
  }

  /** Stops the dashboard's lag sampling. */
  @Override
  public void close() {
    api.close();
  }

  private static void put(Map<String, Object> body, String name, Object value) {
    if (value != null) {
      body.put(name, value);
    }
  }

  private static String join(String[] path) {
    return "/" + String.join("/", path);
  }

  private static WebEndpointResponse<byte[]> answer(DashboardApi.Response r) {
    return new WebEndpointResponse<>(r.body(), r.status(), MimeType.valueOf(r.contentType()));
  }
}
