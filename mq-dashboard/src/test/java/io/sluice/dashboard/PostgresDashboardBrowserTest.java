package io.sluice.dashboard;

/** The browser test on PostgreSQL (a fresh schema, dropped afterwards). */
class PostgresDashboardBrowserTest extends DashboardBrowserContract {
  @Override
  LiveStore openStore() {
    return LiveStore.postgres();
  }

  @Override
  String name() {
    return "postgres";
  }
}
