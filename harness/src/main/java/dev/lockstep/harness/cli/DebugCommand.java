package dev.lockstep.harness.cli;

import dev.lockstep.ftvm.debug.DebugSession;
import dev.lockstep.ftvm.debug.GdbServer;
import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.machine.ElfException;
import dev.lockstep.ftvm.machine.GuestFault;
import dev.lockstep.ftvm.machine.Machine;
import dev.lockstep.ftvm.node.records.NodeSnapshot;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.HostPort;
import dev.lockstep.ftvm.replay.ReplayLogException;
import dev.lockstep.ftvm.rewind.Rewinder;
import dev.lockstep.harness.runner.NodeReplay;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.workload.Workloads;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep debug RUN --node N}: a gdb server over one node's recorded execution. */
@Command(
    name = "debug",
    mixinStandardHelpOptions = true,
    header = "Serve one node's recorded execution of a stored run to gdb, with reverse execution.",
    description = {
      "Replays a node's replay-log segment (nodes/<id>/replay.log, or --segment replay-2.log, ...) from boot or",
      "from the snapshot kept next to it, and serves it to gdb-multiarch on 127.0.0.1:PORT: registers, memory,",
      "breakpoints, watchpoints, step, continue, reverse-step, reverse-continue, 'monitor icount', 'monitor seek N'.",
      "A backup's segment holds the inputs it was sent (the primary's). A register or memory write ends the replay's",
      "guarantee (said on gdb's console and here); a seek or reverse motion returns to the recorded execution.",
      "Exit: 0 after the debugger detaches, 254 bad arguments or an unusable run."
    })
public final class DebugCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN", description = "A run directory (or a test's 'latest' link).")
  Path run;

  @Option(names = "--node", required = true, paramLabel = "N", description = "The node whose execution to serve.")
  String node;

  @Option(names = "--segment", paramLabel = "FILE", description = "The replay-log segment (default: the node's first, replay.log).")
  String segment = ReplaySegments.FIRST;

  @Option(names = "--port", paramLabel = "P", description = "TCP port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port, printed).")
  int port = 1234;

  @Option(names = "--snapshot-interval", paramLabel = "N", description = "Instructions between in-memory snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotInterval = Rewinder.SNAPSHOT_INTERVAL_DEFAULT;

  @Override
  public Integer call() {
    try {
      if (snapshotInterval <= 0 || port < 0 || port > 65535) {
        throw new RunArgument.UsageError("--snapshot-interval must be positive and --port in [0, 65535]");
      }
      RunDirectory dir = RunArgument.open(run);
      TestSettings settings = RunArgument.settings(dir);
      String guest = Workloads.guest(settings.workload());
      Path nodeDir = dir.nodeDirectory(node);
      List<Path> segments = Files.isDirectory(nodeDir) ? ReplaySegments.list(nodeDir) : List.of();
      Path log = nodeDir.resolve(segment);
      if (!segments.contains(log)) {
        throw new RunArgument.UsageError(node + " has no replay-log segment " + segment + " in " + nodeDir
            + " (segments: " + segments.stream().map(p -> p.getFileName().toString()).toList() + ")");
      }
      byte[] image = Guests.load(guest);
      NodeReplay.Log events = NodeReplay.read(log, image);
      Path snap = ReplaySegments.snapshotOf(log);
      Machine start = Files.isRegularFile(snap)
          ? NodeSnapshot.read(Files.readAllBytes(snap), HostPort.UNATTACHED).machine()
          : Machine.boot(image, events.bootConfig(), HostPort.UNATTACHED);
      DebugSession session = new DebugSession(new Rewinder(start, events.events(), snapshotInterval), snapshotInterval);
      try (GdbServer server = new GdbServer(session, port, System.err)) {
        System.err.println("lockstep debug: " + node + "/" + segment + " from " + (Files.isRegularFile(snap) ? "its snapshot at icount "
            + start.icount() : "boot") + ", " + events.events().size() + " events"
            + (events.cutShort() != null ? " (the log is cut short: " + events.cutShort() + ")" : "")
            + "; gdb-multiarch -x scripts/lockstep.gdb <" + guest + ".elf> -ex 'target remote 127.0.0.1:" + server.port() + "'");
        server.serveOne();
      }
      return 0;
    } catch (RunArgument.UsageError e) {
      System.err.println("lockstep debug: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    } catch (ReplayLogException e) {
      System.err.println("lockstep debug: " + run + ": unreadable replay log (" + e.getMessage() + ")");
      return LockstepCli.EXIT_USAGE;
    } catch (ElfException | GuestFault e) {
      System.err.println("lockstep debug: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    } catch (IOException e) {
      System.err.println("lockstep debug: " + run + ": " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    }
  }
}
