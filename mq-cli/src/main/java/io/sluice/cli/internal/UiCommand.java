package io.sluice.cli.internal;

import io.sluice.dashboard.DashboardServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice ui}: the web dashboard over a store, without Spring. */
@Command(
    name = "ui",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the web dashboard over the store until interrupted (Ctrl-C) or --timeout.",
      "It has no login: keep it on a loopback address (the default), where it also refuses"
          + " requests for any other host name. With --read-only (always on for a file store an"
          + " application holds) the page shows everything and changes nothing."
    })
final class UiCommand extends Base {
  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "<address>",
      description = "Address to listen on (default 127.0.0.1).")
  String bind;

  @Option(
      names = "--port",
      defaultValue = "8080",
      paramLabel = "<port>",
      description = "Port to listen on (default 8080; 0 picks a free one).")
  int port;

  @Option(
      names = "--read-only",
      description = "Open the store for reading only: no lock on a file store, buttons disabled.")
  boolean readOnly;

  @Option(
      names = "--timeout",
      paramLabel = "<duration>",
      description = "Stop serving after this long (ISO-8601, e.g. PT10M, or 10m).")
  String timeout;

  @Override
  int run() {
    Duration limit = timeout == null ? null : Durations.parse(timeout);
    try (Store store = readOnly ? openForReading() : openForWriting();
        DashboardServer ui =
            DashboardServer.start(store.admin(), new InetSocketAddress(bind, port), readOnly)) {
      out().println("Sluice dashboard at " + ui.uri() + (readOnly ? " (read-only)" : ""));
      out().flush();
      try {
        if (limit == null) {
          Thread.sleep(Long.MAX_VALUE);
        } else {
          Thread.sleep(limit);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopped: close the server and the store
      }
      return 0;
    }
  }
}
