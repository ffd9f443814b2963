package dev.lockstep.harness.report;

import java.util.List;
import java.util.Map;

/**
 * {@code index.html}: the run at a glance — the overall verdict, each checker's verdict with its
 * evidence, the settings and the rerun command, and links to every file of the run directory.
 */
public final class IndexReport {

  /** One checker's line on the index page. */
  public record CheckerLine(String name, String verdict, String evidence) {}

  private IndexReport() {}

  /**
   * @param settings the test's settings as shown (name → value), in display order
   * @param links relative path → description, in display order
   */
  public static String render(
      String title, String verdict, List<CheckerLine> checkers, Map<String, String> settings,
      String rerunCommand, Map<String, String> links, List<String> svgPlots) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    body.append("<p>Verdict: <span class=\"").append(cssClass(verdict)).append("\">")
        .append(Html.escape(verdict)).append("</span></p>\n");
    body.append("<table><tr><th>checker</th><th>valid?</th><th>evidence</th></tr>\n");
    for (CheckerLine c : checkers) {
      body.append("<tr><td>").append(Html.escape(c.name())).append("</td><td class=\"").append(cssClass(c.verdict()))
          .append("\">").append(Html.escape(c.verdict())).append("</td><td><pre>")
          .append(Html.escape(c.evidence())).append("</pre></td></tr>\n");
    }
    body.append("</table>\n<h2>Rerun</h2>\n<pre>").append(Html.escape(rerunCommand)).append("</pre>\n");
    body.append("<h2>Plots</h2>\n");
    for (String svg : svgPlots) {
      body.append("<p><img src=\"").append(Html.escape(svg)).append("\" alt=\"").append(Html.escape(svg)).append("\"></p>\n");
    }
    body.append("<h2>Files</h2>\n<ul>\n");
    links.forEach((path, description) -> body.append("<li><a href=\"").append(Html.escape(path)).append("\">")
        .append(Html.escape(path)).append("</a> — ").append(Html.escape(description)).append("</li>\n"));
    body.append("</ul>\n<h2>Settings</h2>\n<table>\n");
    settings.forEach((k, v) -> body.append("<tr><th>").append(Html.escape(k)).append("</th><td>")
        .append(Html.escape(v)).append("</td></tr>\n"));
    body.append("</table>\n");
    return Html.page(title, body.toString());
  }

  private static String cssClass(String verdict) {
    return switch (verdict) {
      case "true", "valid" -> "true";
      case "false", "invalid" -> "false";
      default -> "unknown";
    };
  }
}
