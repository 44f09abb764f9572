package io.sluice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small SVG bar chart of Sluice beside its raw baseline, one pair of bars per benchmark: written
 * by hand (a few dozen elements, no library) so that it opens in any browser and renders on GitHub.
 * Each pair has its own scale, the longer bar spanning the width, because the figures range from
 * thousands to millions per second; the numbers and the ratio are printed beside the bars.
 *
 * <pre>{@code
 * new BarChart("File store", "256-byte payloads, 2 cores")
 *     .add("SYNC, 8 senders", "msg/s", 27_500, "raw group commit", 30_900)
 *     .write(BarChart.outputDirectory().resolve("file-storage.svg"));
 * }</pre>
 */
public final class BarChart {
  private static final int WIDTH = 800;
  private static final int LEFT = 16;
  private static final int BAR_MAX = 430;
  private static final int ROW = 70;
  private static final int TOP = 58;

  private final String title;
  private final String subtitle;
  private final List<Row> rows = new ArrayList<>();

  /** One benchmark: Sluice's figure and its baseline's, in the same unit. */
  record Row(String name, String unit, double sluice, String baselineName, double baseline) {}

  /** An empty chart with a title and a subtitle (conditions of the run). */
  public BarChart(String title, String subtitle) {
    this.title = title;
    this.subtitle = subtitle;
  }

  /** Adds a benchmark; figures must be finite and not negative. */
  public BarChart add(
      String name, String unit, double sluice, String baselineName, double baseline) {
    if (!(sluice >= 0 && baseline >= 0) || Double.isInfinite(sluice + baseline)) {
      throw new IllegalArgumentException(
          "figures of " + name + " must be finite and >= 0, found " + sluice + ", " + baseline);
    }
    rows.add(new Row(name, unit, sluice, baselineName, baseline));
    return this;
  }

  /** The chart as an SVG document. */
  public String toSvg() {
    int height = TOP + rows.size() * ROW + 30;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append(String.format("<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n"));
    text(svg, LEFT, 22, "font-size=\"16\" font-weight=\"bold\"", title);
    text(svg, LEFT, 40, "fill=\"#555555\"", subtitle);
    legend(svg, WIDTH - 250, 22, "#2b6cb0", "Sluice");
    legend(svg, WIDTH - 150, 22, "#a0aec0", "raw baseline");
    int y = TOP;
    for (Row r : rows) {
      double max = Math.max(r.sluice(), r.baseline());
      String ratio =
          r.baseline() > 0
              ? String.format(
                  Locale.ROOT, " (%.0f%% of the baseline)", 100 * r.sluice() / r.baseline())
              : "";
      text(svg, LEFT, y + 12, "font-weight=\"bold\"", r.name() + ratio);
      bar(
          svg,
          y + 18,
          width(r.sluice(), max),
          "#2b6cb0",
          number(r.sluice(), r.unit()) + "  Sluice");
      bar(
          svg,
          y + 38,
          width(r.baseline(), max),
          "#a0aec0",
          number(r.baseline(), r.unit()) + "  " + r.baselineName());
      y += ROW;
    }
    return svg.append("</svg>\n").toString();
  }

  /** Writes {@link #toSvg()} to {@code file}, creating its directory; returns {@code file}. */
  public Path write(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, toSvg(), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Where the harnesses write charts: {@code -Dsluice.bench.out=DIR}, else {@code
   * benchmarks/target} when run from the repository root, else {@code target}.
   */
  public static Path outputDirectory() {
    String configured = System.getProperty("sluice.bench.out");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path fromRoot = Path.of("benchmarks", "target");
    return Files.isDirectory(fromRoot) ? fromRoot : Path.of("target");
  }

  /**
   * The conditions of a run for a subtitle: cores, the system load average at the time (the machine
   * may be shared) and the time in UTC.
   */
  public static String conditions() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format(
        Locale.ROOT,
        "%d cores, load average %s, %s UTC",
        Runtime.getRuntime().availableProcessors(),
        load < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", load),
        LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES));
  }

  static int width(double value, double max) {
    return max <= 0 ? 0 : (int) Math.round(BAR_MAX * value / max);
  }

  private static void bar(StringBuilder svg, int y, int width, String colour, String label) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>%n",
            LEFT,
            y,
            width,
            colour));
    text(svg, LEFT + width + 6, y + 12, "", label);
  }

  private static void legend(StringBuilder svg, int x, int y, String colour, String label) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
            x,
            y - 10,
            colour));
    text(svg, x + 18, y, "", label);
  }

  private static void text(StringBuilder svg, int x, int y, String attributes, String text) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"", x, y));
    if (!attributes.isEmpty()) {
      svg.append(' ').append(attributes);
    }
    svg.append('>').append(escape(text)).append("</text>\n");
  }

  static String number(double value, String unit) {
    String n =
        value >= 1e6
            ? String.format(Locale.ROOT, "%.2f M", value / 1e6)
            : value >= 1e4
                ? String.format(Locale.ROOT, "%.1f k", value / 1e3)
                : String.format(Locale.ROOT, "%,.0f", value);
    return n + " " + unit;
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
