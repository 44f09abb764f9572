package io.sluice.samples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every tagged snippet of {@link ReadmeExamplesTest} appears in the top-level README.md, so the
 * README shows code that compiles and runs. Whitespace is ignored (the README wraps lines
 * differently); the one stand-in is the quick start's store directory, a temporary one in the test
 * and {@code Path.of("queue-data")} in the README.
 */
class ReadmeInSyncTest {
  private static final Pattern TAG =
      Pattern.compile("// tag::([a-z-]+)\\[]\\R(.*?)// end::\\1\\[]", Pattern.DOTALL);

  @Test
  void everyTaggedSnippetIsInTheReadme() throws Exception {
    String test =
        Files.readString(Path.of("src/test/java/io/sluice/samples/readme/ReadmeExamplesTest.java"));
    String readme = squeeze(Files.readString(Path.of("..", "README.md")));
    Map<String, String> snippets = new LinkedHashMap<>();
    Matcher m = TAG.matcher(test);
    while (m.find()) {
      snippets.put(m.group(1), m.group(2));
    }
    assertThat(snippets.keySet())
        .contains("quick-start", "manual-ack", "message", "topic-config", "backoff", "jdbc");
    snippets.forEach(
        (tag, code) ->
            assertThat(readme)
                .as("README.md shows the snippet tagged %s", tag)
                .contains(
                    squeeze(
                        code.replace("builder(queueData)", "builder(Path.of(\"queue-data\"))"))));
  }

  private static String squeeze(String s) {
    return s.replaceAll("\\s+", "");
  }
}
