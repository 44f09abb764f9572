package io.sluice.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DashboardServer} over real HTTP. */
class DashboardServerTest {
  @TempDir Path dir;
  LiveStore store;
  DashboardServer server;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    store = LiveStore.file(dir);
    server = DashboardServer.start(store.sluice.admin(), new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    server.close();
    server.close();
    store.close();
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndTheApiWithSafeHeaders() throws Exception {
    assertThat(server.uri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
    HttpResponse<String> page = send(HttpRequest.newBuilder(server.uri()));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.body()).contains("Sluice dashboard");
    HttpResponse<String> overview =
        send(HttpRequest.newBuilder(server.uri().resolve("api/overview")));
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("\"name\":\"orders\"");
    HttpResponse<String> head =
        send(
            HttpRequest.newBuilder(server.uri())
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void writesNeedJsonAndReachTheStore() throws Exception {
    URI pause = server.uri().resolve("api/groups/billing/pause");
    HttpResponse<String> form =
        send(
            HttpRequest.newBuilder(pause)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("topic=orders")));
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(store.sluice.admin().isPaused("billing", "orders")).isFalse();
    HttpResponse<String> json =
        send(
            HttpRequest.newBuilder(pause)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"orders\"}")));
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.body()).contains("\"paused\":true");
    assertThat(store.sluice.admin().isPaused("billing", "orders")).isTrue();
  }

  @Test
  void aLoopbackServerRefusesOtherHostNames() throws Exception {
    // What a DNS-rebinding page would send: the attacker's name, resolved to 127.0.0.1.
    assertThat(rawStatus("evil.example:" + server.uri().getPort())).isEqualTo(421);
    assertThat(rawStatus("localhost:" + server.uri().getPort())).isEqualTo(200);
    assertThat(DashboardServer.loopbackHost("evil.example")).isFalse();
    assertThat(DashboardServer.loopbackHost(null)).isFalse();
    assertThat(DashboardServer.loopbackHost("127.0.0.1:1234")).isTrue();
    assertThat(DashboardServer.loopbackHost("[::1]:1234")).isTrue();
  }

  private int rawStatus(String host) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/overview HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  @Test
  void queryParsingDecodesAndKeepsTheFirstValue() {
    assertThat(DashboardServer.query("limit=5&limit=7&x=a%20b&flag"))
        .containsEntry("limit", "5")
        .containsEntry("x", "a b")
        .containsEntry("flag", "");
    assertThat(DashboardServer.query(null)).isEmpty();
  }

  @Test
  void aTakenPortIsAClearError() {
    InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.uri().getPort());
    assertThatThrownBy(() -> DashboardServer.start(store.sluice.admin(), taken))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot serve the dashboard on");
  }
}
