package dev.lockstep.harness.report;

import java.util.List;
import java.util.Locale;

/**
 * Latency and throughput over time as standalone SVG plots, with nemesis fault intervals shaded. Latency
 * is a scatter of every completed op on a log scale; throughput counts completions per one-second bucket
 * for each outcome.
 */
public final class PlotReport {

  /** Points drawn at most in the latency plot; beyond it every n-th op is drawn. */
  public static final int POINTS_DRAWN_MAX = 20_000;

  private static final int WIDTH_PX = 900;
  private static final int HEIGHT_PX = 320;
  private static final int LEFT_PX = 60;
  private static final int RIGHT_PX = 20;
  private static final int TOP_PX = 30;
  private static final int BOTTOM_PX = 40;
  private static final long BUCKET_NANOS = 1_000_000_000L;
  private static final List<String> OUTCOMES = List.of("ok", "fail", "info");

  private PlotReport() {}

  public static String latency(List<OpSpan> ops, List<FaultInterval> faults, long durationNanos) {
    List<OpSpan> done = ops.stream().filter(o -> !o.pending()).toList();
    double maxMs = Math.max(10, done.stream().mapToDouble(o -> o.latencyNanos() / 1e6).max().orElse(10));
    double minMs = 0.1;
    Frame frame = new Frame(durationNanos, Math.log10(minMs), Math.log10(maxMs) + 0.1);
    StringBuilder svg = frame.open("Latency (ms, log scale) over time");
    frame.faults(svg, faults);
    for (double ms = minMs; ms <= maxMs * 10; ms *= 10) {
      frame.yTick(svg, Math.log10(ms), formatMs(ms));
    }
    int stride = Math.max(1, done.size() / POINTS_DRAWN_MAX);
    for (int i = 0; i < done.size(); i += stride) {
      OpSpan op = done.get(i);
      double ms = Math.max(minMs, op.latencyNanos() / 1e6);
      svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"%s\"/>%n",
          frame.x(op.endNanos()), frame.y(Math.log10(ms)), Colors.ofType(op.type())));
    }
    frame.legend(svg);
    return svg.append("</svg>\n").toString();
  }

  public static String throughput(List<OpSpan> ops, List<FaultInterval> faults, long durationNanos) {
    int buckets = (int) (durationNanos / BUCKET_NANOS) + 1;
    int[][] counts = new int[OUTCOMES.size()][buckets];
    int max = 1;
    for (OpSpan op : ops) {
      int series = OUTCOMES.indexOf(op.type());
      if (series < 0 || op.pending()) {
        continue;
      }
      int b = (int) Math.min(buckets - 1, op.endNanos() / BUCKET_NANOS);
      max = Math.max(max, ++counts[series][b]);
    }
    Frame frame = new Frame(durationNanos, 0, max * 1.1);
    StringBuilder svg = frame.open("Throughput (completions per second) over time");
    frame.faults(svg, faults);
    for (int tick : niceTicks(max)) {
      frame.yTick(svg, tick, Integer.toString(tick));
    }
    for (int s = 0; s < OUTCOMES.size(); s++) {
      StringBuilder points = new StringBuilder();
      for (int b = 0; b < buckets; b++) {
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", frame.x(b * BUCKET_NANOS + BUCKET_NANOS / 2), frame.y(counts[s][b])));
      }
      svg.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(Colors.ofType(OUTCOMES.get(s)))
          .append("\" points=\"").append(points.toString().trim()).append("\"/>\n");
    }
    frame.legend(svg);
    return svg.append("</svg>\n").toString();
  }

  private static int[] niceTicks(int max) {
    int step = 1;
    int[] multipliers = {2, 5, 10};
    int base = 1;
    for (int i = 0; max / step > 6; i = (i + 1) % multipliers.length) {
      step = base * multipliers[i];
      if (multipliers[i] == 10) {
        base *= 10;
      }
    }
    int n = max / step + 1;
    int[] ticks = new int[n];
    for (int i = 0; i < n; i++) {
      ticks[i] = i * step;
    }
    return ticks;
  }

  private static String formatMs(double ms) {
    return ms < 1 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms);
  }

  /** The axes: x is time since the test began, y a linear value between {@code yMin} and {@code yMax}. */
  private record Frame(long durationNanos, double yMin, double yMax) {

    double x(double nanos) {
      return LEFT_PX + (WIDTH_PX - LEFT_PX - RIGHT_PX) * nanos / Math.max(1, durationNanos);
    }

    double y(double v) {
      double t = (v - yMin) / Math.max(1e-9, yMax - yMin);
      return HEIGHT_PX - BOTTOM_PX - t * (HEIGHT_PX - TOP_PX - BOTTOM_PX);
    }

    StringBuilder open(String title) {
      StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" style=\"font-family:sans-serif;font-size:11px\">%n"
              + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><text x=\"%d\" y=\"18\" font-size=\"13\">%s</text>%n",
          WIDTH_PX, HEIGHT_PX, LEFT_PX, Html.escape(title)));
      double bottom = HEIGHT_PX - BOTTOM_PX;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>%n",
          LEFT_PX, bottom, WIDTH_PX - RIGHT_PX, bottom));
      double seconds = durationNanos / 1e9;
      int every = seconds <= 20 ? 1 : seconds <= 120 ? 10 : seconds <= 1200 ? 60 : 600;
      for (int s = 0; s <= seconds; s += every) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d s</text>%n",
            x(s * 1e9), bottom + 14, s));
      }
      return svg;
    }

    void yTick(StringBuilder svg, double v, String label) {
      if (v < yMin || v > yMax) {
        return;
      }
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          LEFT_PX, y(v), WIDTH_PX - RIGHT_PX, y(v), LEFT_PX - 4, y(v) + 4, label));
    }

    void faults(StringBuilder svg, List<FaultInterval> faults) {
      for (FaultInterval f : faults) {
        double x0 = x(f.startNanos());
        double x1 = x(f.endNanos());
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.35\"><title>%s</title></rect>"
                + "<text x=\"%.1f\" y=\"%d\" font-size=\"9\">%s</text>%n",
            x0, TOP_PX, Math.max(1, x1 - x0), HEIGHT_PX - TOP_PX - BOTTOM_PX, Colors.ofFault(f.name()),
            Html.escape(f.name()), x0 + 2, TOP_PX + 10, Html.escape(f.name().split(" ")[0])));
      }
    }

    void legend(StringBuilder svg) {
      int x = WIDTH_PX - RIGHT_PX - 150;
      for (String outcome : OUTCOMES) {
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"17\">%s</text>%n",
            x, Colors.ofType(outcome), x + 13, outcome));
        x += 50;
      }
    }
  }
}
