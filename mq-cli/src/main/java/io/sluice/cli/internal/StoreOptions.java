package io.sluice.cli.internal;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the store is and how to print: options every command accepts, before or after its name
 * ({@code sluice --store x topics} or {@code sluice topics --store x}).
 */
public final class StoreOptions {
  @Option(
      names = {"-s", "--store"},
      scope = ScopeType.INHERIT,
      paramLabel = "<store>",
      defaultValue = "${env:SLUICE_STORE}",
      description =
          "The store: a file store directory (a path or file:/path) or a JDBC URL"
              + " (jdbc:postgresql://host/db). Default: $SLUICE_STORE.")
  String location;

  @Option(
      names = "--user",
      scope = ScopeType.INHERIT,
      defaultValue = "${env:SLUICE_USER}",
      description = "Database user (JDBC). Default: $SLUICE_USER.")
  String user;

  @Option(
      names = "--password",
      scope = ScopeType.INHERIT,
      arity = "0..1",
      interactive = true,
      defaultValue = "${env:SLUICE_PASSWORD}",
      description =
          "Database password (JDBC); without a value it is asked for. Default: $SLUICE_PASSWORD.")
  char[] password;

  @Option(
      names = "--schema",
      scope = ScopeType.INHERIT,
      defaultValue = "sluice",
      description = "Database schema of the Sluice tables (JDBC). Default: ${DEFAULT-VALUE}.")
  String schema;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print JSON for scripts instead of a table.")
  boolean json;

  /** The store location, or a usage error when none was given. */
  public String location() {
    if (location == null || location.isBlank()) {
      throw new CliException(
          io.sluice.cli.ExitCodes.USAGE,
          "no store given: pass --store <directory or JDBC URL> or set SLUICE_STORE");
    }
    return location;
  }

  String user() {
    return user;
  }

  String password() {
    return password == null ? null : new String(password);
  }

  String schema() {
    return schema;
  }

  /** Whether JSON output was asked for. */
  public boolean json() {
    return json;
  }
}
