package io.sluice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class BarChartTest {

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Document doc) {
    NodeList nodes = doc.getElementsByTagName("text");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  @Test
  void eachBenchmarkIsAPairOfBarsScaledToTheLongerOne() throws Exception {
    String svg =
        new BarChart("File store", "2 cores")
            .add("SYNC, 8 senders", "msg/s", 25_000, "raw group commit", 50_000)
            .add("read", "msg/s", 7_000_000, "raw read", 3_500_000)
            .toSvg();
    Document doc = parse(svg);
    NodeList rects = doc.getElementsByTagName("rect");
    // background, two legend swatches, then two bars per benchmark
    assertThat(rects.getLength()).isEqualTo(1 + 2 + 4);
    int[] widths = new int[4];
    for (int i = 0; i < 4; i++) {
      widths[i] = Integer.parseInt(((Element) rects.item(3 + i)).getAttribute("width"));
    }
    assertThat(widths[0] * 2).isEqualTo(widths[1]); // Sluice half its baseline
    assertThat(widths[2]).isEqualTo(widths[3] * 2); // Sluice twice its baseline
    assertThat(widths[1]).isEqualTo(widths[2]); // the longer bar of each pair spans the width
    assertThat(texts(doc))
        .contains(
            "SYNC, 8 senders (50% of the baseline)",
            "25.0 k msg/s  Sluice", "50.0 k msg/s  raw group commit", "7.00 M msg/s  Sluice");
  }

  @Test
  void textIsEscaped() throws Exception {
    String svg =
        new BarChart("a <b> & \"c\"", "").add("x<y", "rows/s", 1, "DELETE & co", 2).toSvg();
    assertThat(texts(parse(svg))).contains("a <b> & \"c\"", "x<y (50% of the baseline)");
  }

  @Test
  void badFiguresAreRefused() {
    BarChart chart = new BarChart("t", "s");
    assertThatThrownBy(() -> chart.add("n", "u", Double.NaN, "b", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("figures of n");
    assertThatThrownBy(() -> chart.add("n", "u", 1, "b", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesTheFileAndItsDirectory(@TempDir Path dir) throws Exception {
    Path file = new BarChart("t", "s").add("n", "u", 1, "b", 1).write(dir.resolve("a/b.svg"));
    assertThat(Files.readString(file)).startsWith("<svg ").endsWith("</svg>\n");
  }
}
