package dev.lockstep.checkers.linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML page for a counterexample: one row per call (the stuck one highlighted)
 * drawn as a bar from invocation to completion on the history's position axis, the states the
 * search reached just before, and the calls it had linearized on its furthest path.
 */
public final class CounterexampleHtml {
  private static final int WIDTH_PX = 900;

  private CounterexampleHtml() {}

  public static String render(Counterexample ce) {
    List<Call> rows = new ArrayList<>(ce.concurrent());
    rows.add(ce.op());
    rows.sort((a, b) -> Integer.compare(a.invokePos(), b.invokePos()));
    int from = rows.stream().mapToInt(Call::invokePos).min().orElse(0);
    int to = rows.stream().mapToInt(c -> c.crashed() ? c.invokePos() + 1 : c.completionPos()).max().orElse(from + 1);
    to = Math.max(to, ce.op().completionPos()) + 1;
    double scale = (double) WIDTH_PX / Math.max(1, to - from);
    StringBuilder out = new StringBuilder();
    out.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Not linearizable</title><style>")
        .append("body{font-family:sans-serif;margin:2em}.row{position:relative;height:22px;margin:2px 0}")
        .append(".bar{position:absolute;height:20px;background:#9cc3e6;border:1px solid #36c;font-size:12px;")
        .append("white-space:nowrap;overflow:visible;padding-left:3px}.stuck{background:#f4a6a6;border-color:#c33}")
        .append(".crashed{background:repeating-linear-gradient(45deg,#ddd,#ddd 5px,#fff 5px,#fff 10px)}")
        .append("pre{background:#f6f6f6;padding:1em}</style></head><body>\n");
    out.append("<h1>Not linearizable</h1>\n<p>Model <b>").append(esc(ce.model())).append("</b>");
    if (ce.key() != null) {
      out.append(", key <b>").append(esc(String.valueOf(ce.key()))).append("</b>");
    }
    out.append(". No order of the calls fits <b>").append(esc(Counterexample.describe(ce.op()))).append("</b>.</p>\n");
    out.append("<p>States the search reached just before it: <b>").append(esc(String.valueOf(ce.states()))).append("</b></p>\n");
    out.append("<h2>Calls concurrent with it</h2>\n<div style=\"width:").append(WIDTH_PX + 200).append("px\">\n");
    for (Call c : rows) {
      int end = c.crashed() ? to : c.completionPos();
      String cls = c == ce.op() ? "bar stuck" : c.crashed() ? "bar crashed" : "bar";
      out.append("<div class=\"row\"><div class=\"").append(cls).append("\" style=\"left:")
          .append((int) ((c.invokePos() - from) * scale)).append("px;width:")
          .append(Math.max(4, (int) ((end - c.invokePos()) * scale))).append("px\" title=\"")
          .append(esc(Counterexample.describe(c))).append("\">")
          .append(esc("p" + c.invoke().process() + " " + c.invoke().f() + " " + Counterexample.render(c.value())
              + (c.crashed() ? " (crashed)" : "")))
          .append("</div></div>\n");
    }
    out.append("</div>\n<h2>Last calls linearized on the furthest path</h2>\n<ol>\n");
    for (Call c : ce.linearizedBefore()) {
      out.append("<li>").append(esc(Counterexample.describe(c))).append("</li>\n");
    }
    out.append("</ol>\n<h2>As text</h2>\n<pre>").append(esc(ce.text())).append("</pre>\n</body></html>\n");
    return out.toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
