#!/usr/bin/env bash
# The kill -9 soak (not part of CI; see docs/soak.md). Builds the benchmarks jar once, then runs
#   io.sluice.benchmarks.soak.Soak with the arguments given, for example:
#     benchmarks/soak.sh --store file --producer-rounds 1000 --consumer-rounds 200
#     benchmarks/soak.sh --store postgres --producer-rounds 100 --consumer-rounds 50
# Prints progress on stderr and one summary line on stdout; exits non-zero when a check fails.
# Set SOAK_SKIP_BUILD=1 to reuse benchmarks/target/benchmarks.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
  for cand in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$cand/bin/java" ] && "$cand/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
      export JAVA_HOME="$cand"
      break
    fi
  done
fi
export PATH="$JAVA_HOME/bin:$PATH"
if [ "${SOAK_SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -pl benchmarks -am package -DskipTests >&2
fi
exec java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp benchmarks/target/benchmarks.jar io.sluice.benchmarks.soak.Soak "$@"
