package dev.lockstep.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportsTest {

  private static final List<FaultInterval> FAULTS = List.of(new FaultInterval("partition primary<->backup", 2_000_000_000L, 4_000_000_000L));

  private static List<OpSpan> ops() {
    List<OpSpan> ops = new ArrayList<>();
    String[] types = {"ok", "fail", "info"};
    for (int i = 0; i < 90; i++) {
      long start = i * 60_000_000L;
      ops.add(new OpSpan(i % 3, "write", types[i % 3], start, start + 5_000_000L * (1 + i % 7), "<" + i + ">"));
    }
    ops.add(new OpSpan(3, "read", "pending", 5_000_000_000L, -1, "nil"));
    return ops;
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void plotsAreWellFormedSvgWithEveryPointAndFault() throws Exception {
    Document latency = parse(PlotReport.latency(ops(), FAULTS, 6_000_000_000L));
    assertEquals(90, latency.getElementsByTagName("circle").getLength());
    Document throughput = parse(PlotReport.throughput(ops(), FAULTS, 6_000_000_000L));
    assertEquals(3, throughput.getElementsByTagName("polyline").getLength());
    assertTrue(PlotReport.throughput(ops(), FAULTS, 6_000_000_000L).contains("partition primary&lt;-&gt;backup"));
  }

  @Test
  void timelineDrawsEveryOpAndEscapesValues() throws Exception {
    String html = TimelineReport.render("cas-register", ops(), FAULTS, 6_000_000_000L);
    String svg = html.substring(html.indexOf("<svg"), html.indexOf("</svg>") + 6);
    Document doc = parse(svg);
    // 91 ops + 1 fault band
    assertEquals(92, doc.getElementsByTagName("rect").getLength());
    assertFalse(html.contains("<42>"));
    assertTrue(html.contains("&lt;42&gt;"));
    assertFalse(html.contains("<script"), "reports are self-contained and script-free");
  }

  @Test
  void indexShowsVerdictsAndLinks() {
    Map<String, String> links = new LinkedHashMap<>();
    links.put("timeline.html", "ops per process");
    String html = IndexReport.render("run", "false",
        List.of(new IndexReport.CheckerLine("linearizability", "false", "op 12 <cas>")),
        Map.of("seed", "7"), "bin/lockstep test --seed 7", links, List.of("latency.svg"));
    assertTrue(html.contains("class=\"false\">false"));
    assertTrue(html.contains("href=\"timeline.html\""));
    assertTrue(html.contains("op 12 &lt;cas&gt;"));
  }
}
