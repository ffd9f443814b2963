package dev.lockstep.checkers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The fast start path: the same options, verdicts, exit codes and reports as the picocli command. */
class CheckMainTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return CheckMain.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path valid() throws IOException {
    return file("valid.jsonl", """
        {"type":"invoke","f":"write","value":1,"process":0}
        {"type":"ok","f":"write","value":1,"process":0}
        {"type":"invoke","f":"read","value":null,"process":1}
        {"type":"ok","f":"read","value":1.0,"process":1}
        """);
  }

  private Path invalid() throws IOException {
    return file("invalid.edn", """
        [{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :ok, :f :write, :value 1}
         {:process 1, :type :invoke, :f :read, :value nil} {:process 1, :type :ok, :f :read, :value 2}]
        """);
  }

  private Path txn() throws IOException {
    return file("txn.jsonl", """
        {"type":"invoke","f":"txn","value":[["w","x",1]],"process":0}
        {"type":"ok","f":"txn","value":[["w","x",1]],"process":0}
        """);
  }

  @Test
  void exitCodesForEveryKindOfInput() throws IOException {
    assertEquals(0, run(valid().toString()), err.toString());
    assertTrue(out.toString().startsWith("true\n"), out.toString());
    assertEquals(1, run(invalid().toString()));
    assertTrue(out.toString().contains("no order fits: process 1 read 2 -> ok"), out.toString());
    assertEquals(2, run("--time-limit", "0.000001", bigHistory().toString()));
    // An f the model does not know is bad input, like a malformed file: 254 with one line naming it.
    assertEquals(254, run("--model", "kv", txn().toString()));
    assertTrue(err.toString().contains(txn() + ": history cannot be checked: op #0 has f=txn, which model kv does not know"), err.toString());
    assertEquals(0, run(txn().toString()), err.toString());
    assertEquals(254, run(file("broken.jsonl", "{\"type\": oops}\n").toString()));
    assertTrue(err.toString().contains("broken.jsonl:1:"), err.toString());
    assertEquals(254, run(dir.resolve("missing.jsonl").toString()));
    assertEquals(254, run(file("notes.txt", "hello\n").toString()));
    assertTrue(err.toString().contains("cannot tell the history format"), err.toString());
    assertEquals(254, run("--model", "queue", valid().toString()));
    assertTrue(err.toString().contains("--model: unknown model 'queue'"), err.toString());
    assertEquals(254, run("--bogus", valid().toString()));
    assertEquals(254, run("--time-limit", "soon", valid().toString()));
    assertEquals(254, run());
    assertEquals(254, run("--follow", valid().toString(), invalid().toString()));
    assertEquals(254, run("--follow", invalid().toString()));
    assertTrue(err.toString().contains("--follow: reads JSON Lines"), err.toString());
  }

  @Test
  void optionsParseAsPicocliWouldTakeThem() {
    CheckArgs a = CheckMain.parse(new String[] {"--model=multi-register", "--init", "{x 0, y 1}", "--knossos-nil",
        "--order", "time", "--time-limit=2.5", "--junit-xml", "r.xml", "a.edn", "--", "--odd-name.jsonl"});
    assertEquals("multi-register", a.model);
    assertEquals(java.util.Map.of("x", 0L, "y", 1L), a.init());
    assertTrue(a.knossosNil);
    assertEquals(2.5, a.timeLimitS);
    assertEquals(Path.of("r.xml"), a.junitXml);
    assertEquals(java.util.List.of(Path.of("a.edn"), Path.of("--odd-name.jsonl")), a.paths);
  }

  @Test
  void helpComesFromPicocliAndSaysEachModelsEqualityAndTheExitCodes() {
    assertEquals(0, run("--help"));
    String help = out.toString();
    assertTrue(help.contains("multi-register") && help.contains("porcupine-kv"), help);
    assertTrue(help.contains("1 = 1.0 = 1N = 1.0M"), help);
    assertTrue(help.contains("254 bad arguments or bad input") && help.contains("an f it does not know"), help);
    assertTrue(help.contains("--junit-xml") && help.contains("--follow"), help);
  }

  @Test
  void junitXmlHasOneCasePerPathWithTheCounterexampleInTheFailure() throws Exception {
    Path report = dir.resolve("reports/check.xml");
    Path porcupineLog = file("c.txt", """
        {:process 0, :type :invoke, :f :append, :key "0", :value "x"}
        {:process 0, :type :ok, :f :append, :key "0", :value "x"}
        {:process 0, :type :invoke, :f :get, :key "0", :value nil}
        {:process 0, :type :ok, :f :get, :key "0", :value "x"}
        """);
    assertEquals(254, run("--junit-xml", report.toString(), valid().toString(), invalid().toString(),
        porcupineLog.toString(), dir.resolve("missing.edn").toString()));
    assertEquals(valid() + "\ttrue\n" + invalid() + "\tfalse\n" + porcupineLog + "\ttrue\n" + dir.resolve("missing.edn") + "\terror\n",
        out.toString());
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
    Element suite = doc.getDocumentElement();
    assertEquals("4", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"));
    assertEquals("1", suite.getAttribute("errors"));
    NodeList cases = suite.getElementsByTagName("testcase");
    assertEquals(4, cases.getLength());
    Element failed = (Element) cases.item(1);
    assertEquals(invalid().toString(), failed.getAttribute("name"));
    String failure = failed.getElementsByTagName("failure").item(0).getTextContent();
    assertTrue(failure.contains("no order fits: process 1 read 2 -> ok"), failure);
    assertEquals(0, ((Element) cases.item(0)).getChildNodes().getLength());
    assertTrue(((Element) cases.item(3)).getElementsByTagName("error").item(0).getTextContent().contains("missing.edn"));
  }

  private Path bigHistory() throws IOException {
    Path p = dir.resolve("big.jsonl");
    dev.lockstep.histories.Histories.write(p,
        dev.lockstep.checkers.sim.StoreSimulator.run(dev.lockstep.checkers.sim.SimSpec.casRegister(50, 20_000, 1)));
    return p;
  }
}
