package io.sluice.cli.internal;

import picocli.CommandLine.IVersionProvider;

/** {@code sluice --version}: the jar's implementation version. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = RootCommand.class.getPackage().getImplementationVersion();
    return new String[] {"sluice " + (v == null ? "(development build)" : v)};
  }
}
