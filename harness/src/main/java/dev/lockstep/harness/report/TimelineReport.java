package dev.lockstep.harness.report;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * {@code timeline.html}: one column per process, time flowing down, each op a bar from invocation to
 * completion coloured by how it ended (hover for details); nemesis faults are shaded bands across all
 * columns.
 */
public final class TimelineReport {

  /** Ops drawn at most; a longer history is cut (and the page says so) to keep the page loadable. */
  public static final int OPS_DRAWN_MAX = 20_000;

  private static final int COLUMN_PX = 70;
  private static final int GUTTER_PX = 60;
  private static final int HEADER_PX = 24;
  private static final double PX_PER_SECOND_MAX = 120;
  private static final int HEIGHT_PX_MAX = 6_000;

  private TimelineReport() {}

  public static String render(String title, List<OpSpan> ops, List<FaultInterval> faults, long durationNanos) {
    List<Integer> processes = List.copyOf(new TreeSet<>(ops.stream().map(OpSpan::process).toList()));
    double seconds = Math.max(1e-3, durationNanos / 1e9);
    double pxPerSecond = Math.min(PX_PER_SECOND_MAX, HEIGHT_PX_MAX / seconds);
    int width = GUTTER_PX + COLUMN_PX * Math.max(1, processes.size());
    int height = HEADER_PX + (int) Math.ceil(seconds * pxPerSecond) + 10;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n", width, height));
    for (FaultInterval fault : faults) {
      double y0 = HEADER_PX + fault.startNanos() / 1e9 * pxPerSecond;
      double y1 = HEADER_PX + fault.endNanos() / 1e9 * pxPerSecond;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" opacity=\"0.35\"><title>%s %s–%s s</title></rect>"
              + "<text x=\"2\" y=\"%.1f\">%s</text>%n",
          y0, width, Math.max(1, y1 - y0), Colors.ofFault(fault.name()), Html.escape(fault.name()),
          Html.seconds(fault.startNanos()), Html.seconds(fault.endNanos()), y0 + 11, Html.escape(shortName(fault.name()))));
    }
    for (int s = 0; s <= (int) seconds; s++) {
      double y = HEADER_PX + s * pxPerSecond;
      if (s % tickEvery(seconds) == 0) {
        svg.append(String.format(Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d s</text>%n",
            GUTTER_PX, y, width, y, GUTTER_PX - 4, y + 4, s));
      }
    }
    for (int i = 0; i < processes.size(); i++) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" text-anchor=\"middle\">p%d</text>%n",
          GUTTER_PX + i * COLUMN_PX + COLUMN_PX / 2, processes.get(i)));
    }
    int drawn = 0;
    for (OpSpan op : ops) {
      if (drawn++ >= OPS_DRAWN_MAX) {
        break;
      }
      int column = processes.indexOf(op.process());
      double y0 = HEADER_PX + op.startNanos() / 1e9 * pxPerSecond;
      double end = op.pending() ? durationNanos : op.endNanos();
      double h = Math.max(2, (end - op.startNanos()) / 1e9 * pxPerSecond);
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\">"
              + "<title>p%d %s %s %s\n%s → %s s</title></rect>%n",
          GUTTER_PX + column * COLUMN_PX + 4, y0, COLUMN_PX - 8, h, Colors.ofType(op.type()), op.process(),
          Html.escape(op.f()), Html.escape(op.value()), op.type(), Html.seconds(op.startNanos()),
          op.pending() ? "never" : Html.seconds(op.endNanos())));
    }
    svg.append("</svg>\n");
    String note = ops.size() > OPS_DRAWN_MAX
        ? "<p>Showing the first " + OPS_DRAWN_MAX + " of " + ops.size() + " ops.</p>\n" : "";
    String legend = "<p>" + swatch("ok") + swatch("fail") + swatch("info") + swatch("pending")
        + " — bars run from invocation to completion; shaded bands are nemesis faults. Hover for details.</p>\n";
    return Html.page(title + " — timeline", "<h1>" + Html.escape(title) + " — timeline</h1>\n" + legend + note + svg);
  }

  private static String swatch(String type) {
    return "<span style=\"background:" + Colors.ofType(type) + ";padding:0 8px;margin-right:6px\">" + type + "</span>";
  }

  private static int tickEvery(double seconds) {
    return seconds <= 60 ? 1 : seconds <= 600 ? 10 : 60;
  }

  private static String shortName(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "…" : name;
  }
}
