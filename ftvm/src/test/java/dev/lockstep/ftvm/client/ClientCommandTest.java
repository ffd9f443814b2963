package dev.lockstep.ftvm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.ftvm.golive.Coordinator;
import dev.lockstep.ftvm.golive.NodeAddress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lockstep client} end to end against a real ZooKeeper and a loopback client port. */
class ClientCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ClientCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("lockstep client: " + ex.getMessage());
      return ClientCommand.EXIT_USAGE;
    });
    return new Run(cli.execute(args), out.toString().strip(), err.toString().strip());
  }

  @Test
  void writesReadsAndReportsEachOutcome() throws Exception {
    try (TestingServer zk = new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, 1, 100, -1), true);
        GuestStub stub = new GuestStub();
        Coordinator node = new Coordinator(zk.getConnectString(), "c1", "a", Duration.ofSeconds(2), null)) {
      node.start();
      node.tryGoLive(0);
      node.publishPrimary(new NodeAddress("a", "127.0.0.1", stub.port(), 1), 1);
      String zkc = zk.getConnectString();
      Run w = run("--zk", zkc, "--cluster", "c1", "--client-id", "1", "write", "5", "50");
      assertEquals(0, w.code(), w.err());
      assertTrue(w.out().startsWith("ok status=OK reqSeq="), w.out());
      Run r = run("--zk", zkc, "--cluster", "c1", "--client-id", "2", "--req-seq", "7", "read", "5");
      assertEquals("ok value=50 reqSeq=7 outSeq=2", r.out());
      // The same client id again, without --req-seq: a new request, not the cached reply of the first.
      Run again = run("--zk", zkc, "--cluster", "c1", "--client-id", "1", "write", "5", "51");
      assertTrue(again.out().startsWith("ok status=OK"), again.out());
      assertTrue(run("--zk", zkc, "--cluster", "c1", "--client-id", "2", "--req-seq", "8", "read", "5").out()
          .startsWith("ok value=51"));
      Run cas = run("--zk", zkc, "--cluster", "c1", "--client-id", "3", "cas", "5", "1", "2");
      assertEquals(1, cas.code());
      assertTrue(cas.out().startsWith("fail "), cas.out());
      stub.silent = true;
      Run info = run("--zk", zkc, "--cluster", "c1", "--client-id", "4", "--timeout-ms", "600", "read", "5");
      assertEquals(2, info.code());
      assertTrue(info.out().startsWith("info "), info.out());
    }
  }

  @Test
  void badArgumentsExitWith254AndOneLine() {
    String[][] cases = {
        {"--zk", "h:1", "--cluster", "c", "frobnicate", "1"},
        {"--zk", "h:1", "--cluster", "c", "write", "1"},
        {"--zk", "h:1", "--cluster", "c", "read", "x"},
        {"--zk", "h:1", "--cluster", "c", "--timeout-ms", "0", "read", "1"},
        {"--cluster", "c", "read", "1"},
    };
    for (String[] args : cases) {
      Run r = run(args);
      assertEquals(ClientCommand.EXIT_USAGE, r.code(), String.join(" ", args));
      assertTrue(r.err().startsWith("lockstep client: "), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
  }
}
