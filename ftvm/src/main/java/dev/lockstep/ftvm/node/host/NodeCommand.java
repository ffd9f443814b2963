package dev.lockstep.ftvm.node.host;

import dev.lockstep.ftvm.guests.Guests;
import dev.lockstep.ftvm.node.HostClock;
import dev.lockstep.ftvm.node.HostDisk;
import dev.lockstep.ftvm.node.NodeExit;
import dev.lockstep.ftvm.node.UnsafeBug;
import dev.lockstep.ftvm.node.records.NodeEventLog;
import dev.lockstep.ftvm.node.records.ReplayLogSink;
import dev.lockstep.ftvm.node.records.ReplaySegments;
import dev.lockstep.ftvm.replay.EventSink;
import dev.lockstep.ftvm.tls.Tls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code lockstep node}: one FT node process (primary or backup of a cluster). */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    header = "Run one fault-tolerant node (primary or backup) of a cluster.",
    description =
        "Runs one fault-tolerant node. The first node of a new cluster (epoch 0) goes live as primary (epoch 1);%nonly then is a guest booted fresh. A node started into a cluster whose primary has no backup becomes its backup (snapshot, then%nthe log). A backup whose primary fails wins the ZooKeeper test-and-set and goes live.%n%nPlanted bugs for testing the tester (--unsafe, repeatable):%n  skip-output-rule  release output before the backup's ack%n  no-golive-lock    go live without the ZooKeeper test-and-set%n  backup-own-clock  the backup reads its own clock instead of the logged value%n  late-timer        the backup delivers timer interrupts one instruction late%n  ack-before-write  the backup acks entries before it has stored them%n  no-dedup          client side: a retry gets a fresh request id (accepted and recorded here)%n%nExit codes: 0 clean shutdown, 10 guest halted, 11 lost go-live, 12 ZooKeeper session lost%nand the epoch moved on, 13 replay diverged, 14 stale epoch, 15 could not join, 16 a port is taken,%n17 event log full, 18 ZooKeeper refused the cluster's znodes (another secret), 70 internal error,%n254 bad arguments.")
public final class NodeCommand implements Callable<Integer> {

  @Option(names = "--id", required = true, description = "This node's id, unique in the cluster.")
  String id;

  @Option(names = "--cluster", required = true, description = "Cluster name.")
  String cluster;

  @Option(names = "--zk", required = true, description = "ZooKeeper connect string HOST:PORT,...")
  String zk;

  @Option(names = "--guest", required = true, description = "kv, append, chaos, or an ELF file.")
  String guest;

  @Option(names = "--guest-param", description = "NAME=VALUE: set a guest's parameter word (e.g. chaos_iterations=50000); repeatable.")
  List<String> guestParams = new ArrayList<>();

  @Option(names = "--disk", defaultValue = "none", description = "none, shared or local (default ${DEFAULT-VALUE}).")
  String disk;

  @Option(names = "--disk-file", description = "The disk file (shared: the cluster's; local: this node's).")
  Path diskFile;

  @Option(names = "--disk-sectors", defaultValue = "2048", description = "Sectors of a disk file created new (default ${DEFAULT-VALUE}).")
  long diskSectors;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and publish (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--client-port", defaultValue = "0", description = "Client port (0: any free port).")
  int clientPort;

  @Option(names = "--log-port", defaultValue = "0", description = "Logging-channel port (0: any free port).")
  int logPort;

  @Option(names = "--advertise-client-port", defaultValue = "0", description = "Client port to publish instead of the bound one (a proxy).")
  int advertiseClientPort;

  @Option(names = "--advertise-log-port", defaultValue = "0", description = "Log port to publish instead of the bound one (a proxy).")
  int advertiseLogPort;

  @Option(names = "--secret-file", description = "File holding the cluster secret (at least 8 bytes; refused when every user can read it). Or set LOCKSTEP_SECRET.")
  Path secretFile;

  @Option(names = "--secret", description = "The cluster secret itself: for tests only (it shows in the process list).")
  String secret;

  @Option(names = "--tls", description = "TLS on the logging channel (mutual) and the client port; needs --tls-cert, --tls-key and --tls-ca.")
  boolean tls;

  @Option(names = "--tls-cert", description = "This node's certificate (PEM), signed by the cluster's CA, naming the published host.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "This node's private key (PEM, unencrypted PKCS#8; refused when every user can read it).")
  Path tlsKey;

  @Option(names = "--tls-ca", description = "The cluster's CA certificate (PEM): the only one trusted for peers.")
  Path tlsCa;

  @Option(names = "--heartbeat-ms", defaultValue = "100", description = "Heartbeat interval (default ${DEFAULT-VALUE}).")
  long heartbeatMs;

  @Option(names = "--failure-timeout-ms", defaultValue = "600", description = "Peer silence that counts as failure (default ${DEFAULT-VALUE}).")
  long failureTimeoutMs;

  @Option(names = "--zk-session-ms", defaultValue = "4000", description = "ZooKeeper session timeout (default ${DEFAULT-VALUE}).")
  long zkSessionMs;

  @Option(names = "--lag-ms", defaultValue = "100", description = "Backup lag (ms of guest execution) beyond which the primary slows down (default ${DEFAULT-VALUE}).")
  long lagMs;

  @Option(names = "--hash-interval", defaultValue = "4194304", description = "Instructions between two state hashes (default ${DEFAULT-VALUE}).")
  long hashInterval;

  @Option(names = "--data", defaultValue = "node-data", description = "Directory for events.jsonl, notes.jsonl and the replay log (replay.log, then replay-2.log, ... for later runs) (default ${DEFAULT-VALUE}). A file clock-offset there (offsetNanos=N) shifts the host clock the guest reads (the clock fault).")
  Path data;

  @Option(names = "--time-origin-ns", defaultValue = "0", description = "Unix time (ns) at which the run began; event times count from it.")
  long timeOriginNs;

  /** In the data directory: the clock fault's offset of this node's host clock ({@code offsetNanos=N}). */
  static final String CLOCK_OFFSET_FILE = "clock-offset";

  @Option(names = "--unsafe", description = "Plant a known bug (see above); repeatable.")
  List<String> unsafe = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    NodeSettings s;
    try {
      s = settings();
    } catch (IllegalArgumentException | IOException e) {
      err.println("lockstep node: " + e.getMessage());
      return NodeExit.USAGE;
    }
    HostClock clock = HostClock.SYSTEM;
    long origin = timeOriginNs;
    HostDisk hostDisk = s.disk() == NodeSettings.DiskMode.NONE ? null : HostDisk.open(s.diskFile(), diskSectors);
    try (NodeEventLog events = new NodeEventLog(s.dataDir().resolve("events.jsonl"), s.id(), () -> clock.wallNanos() - origin);
        ReplayLogSink replay = ReplayLogSink.open(ReplaySegments.next(s.dataDir()),
            dev.lockstep.ftvm.machine.MachineConfig.RAM_BYTES_DEFAULT, hostDisk == null ? 0 : hostDisk.sectors(),
            s.elf(), true)) {
      // The guest sees the clock fault's offset; the event log keeps true time for the checkers.
      HostClock guestClock = new OffsetClock(clock, s.dataDir().resolve(CLOCK_OFFSET_FILE));
      Node node = new Node(s, guestClock, events, replay, hostDisk);
      // SIGTERM: a primary shuts down through the log; every node flushes and closes its logs
      Runtime.getRuntime().addShutdownHook(new Thread(node::shutdown, "node-shutdown"));
      return node.run();
    }
  }

  private NodeSettings settings() throws IOException {
    Set<UnsafeBug> bugs = EnumSet.noneOf(UnsafeBug.class);
    for (String u : unsafe) {
      bugs.add(UnsafeBug.ofFlag(u));
    }
    NodeSettings.DiskMode mode =
        switch (disk) {
          case "none" -> NodeSettings.DiskMode.NONE;
          case "shared" -> NodeSettings.DiskMode.SHARED;
          case "local" -> NodeSettings.DiskMode.LOCAL;
          default -> throw new IllegalArgumentException("--disk must be none, shared or local, was '" + disk + "'");
        };
    if (mode != NodeSettings.DiskMode.NONE && diskFile == null) {
      throw new IllegalArgumentException("--disk " + disk + " needs --disk-file");
    }
    ClusterSecret.Resolved key = ClusterSecret.resolve(secretFile, secret, System.getenv());
    if (key.warning() != null) {
      spec.commandLine().getErr().println("lockstep node: warning: " + key.warning());
    }
    if (!tls && (tlsCert != null || tlsKey != null || tlsCa != null)) {
      throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-ca need --tls");
    }
    Tls tlsSettings = tls ? Tls.load(tlsCert, tlsKey, tlsCa) : null;
    require(failureTimeoutMs > heartbeatMs && heartbeatMs > 0, "--failure-timeout-ms must exceed --heartbeat-ms > 0");
    require(lagMs > 0, "--lag-ms must be positive");
    require(hashInterval > 0, "--hash-interval must be positive");
    require(zkSessionMs >= 1000, "--zk-session-ms must be at least 1000");
    for (int p : new int[] {clientPort, logPort, advertiseClientPort, advertiseLogPort}) {
      require(p >= 0 && p <= 65535, "ports must be 0..65535, was " + p);
    }
    Files.createDirectories(data);
    return new NodeSettings(id, cluster, zk, guest, elf(), mode, diskFile, host, clientPort, logPort,
        advertiseClientPort, advertiseLogPort, key.secret(), Duration.ofMillis(heartbeatMs),
        Duration.ofMillis(failureTimeoutMs), Duration.ofMillis(zkSessionMs), lagMs, hashInterval, data, bugs, tlsSettings);
  }

  private byte[] elf() throws IOException {
    byte[] image = image();
    for (String p : guestParams) {
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--guest-param '" + p + "' is not NAME=VALUE");
      }
      try {
        image = Guests.withParameter(image, p.substring(0, eq), Integer.parseInt(p.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--guest-param '" + p + "': value is not an integer");
      }
    }
    return image;
  }

  private byte[] image() throws IOException {
    if (Guests.NAMES.contains(guest)) {
      try {
        return Guests.load(guest);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    Path f = Path.of(guest);
    if (!Files.isReadable(f)) {
      throw new IllegalArgumentException("--guest '" + guest + "' is neither " + String.join(", ", Guests.NAMES)
          + " nor a readable ELF file");
    }
    return Files.readAllBytes(f);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Runs the command alone (tests start node processes with this main class). */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new NodeCommand());
    cli.setExitCodeExceptionMapper(e -> NodeExit.USAGE);
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("lockstep node: " + ex.getMessage());
      return NodeExit.USAGE;
    });
    System.exit(cli.execute(args));
  }
}
