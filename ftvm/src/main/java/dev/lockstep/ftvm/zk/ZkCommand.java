package dev.lockstep.ftvm.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep zk}: serves ZooKeeper on 127.0.0.1 (or {@code --host}) until killed, printing
 * {@code zk ready on HOST:PORT} once it answers requests. With {@code --server-id} and {@code --peers}
 * it is one member of an ensemble and is ready once it has joined a quorum.
 */
@Command(name = "zk", mixinStandardHelpOptions = true,
    description = "Run a ZooKeeper server (standalone, or one ensemble member) in this process.")
public final class ZkCommand implements Callable<Integer> {
  public static final String READY_PREFIX = "zk ready on ";
  static final int EXIT_USAGE = 254;
  static final int EXIT_FAILED = 1;
  /** How long a started server may take to answer before the command gives up. */
  static final long READY_TIMEOUT_MS = 60_000;
  static final long READY_POLL_MS = 50;
  static final int PROBE_TIMEOUT_MS = 1000;
  static final int PROBE_REPLY_BYTES_MAX = 64 * 1024;
  /** Client connections the server accepts at once (nodes, clients, harness). */
  static final int CONNECTIONS_MAX = 1000;

  @Option(names = "--port", required = true, description = "Client port.")
  int port;

  @Option(names = "--data", required = true, description = "Data directory (created if missing).")
  Path data;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to serve on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--tick-ms", defaultValue = "100", description = "ZooKeeper tick in ms (default ${DEFAULT-VALUE}).")
  int tickMs;

  @Option(names = "--server-id", description = "This member's id (1-based) in --peers; needs --peers.")
  Integer serverId;

  @Option(names = "--peers", split = ",",
      description = "Ensemble members in id order, each host:quorumPort:electionPort.")
  List<String> peers;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Entry point for {@link ZkProcess}: runs the command and exits with its code. */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ZkCommand());
    cli.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("lockstep zk: " + ex.getMessage());
      return EXIT_USAGE;
    });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() {
    quietLogs();
    String bad = validate();
    if (bad != null) {
      spec.commandLine().getErr().println("lockstep zk: " + bad);
      return EXIT_USAGE;
    }
    QuorumPeerConfig config;
    try {
      Files.createDirectories(data);
      config = new QuorumPeerConfig();
      config.parseProperties(properties());
    } catch (IOException | QuorumPeerConfig.ConfigException e) {
      spec.commandLine().getErr().println("lockstep zk: cannot prepare data directory " + data + ": " + e.getMessage());
      return EXIT_USAGE;
    }
    Thread server = new Thread(() -> serve(config), "zk-server");
    server.start();
    if (!awaitReady()) {
      spec.commandLine().getErr().println("lockstep zk: not serving on " + host + ":" + port + " after "
          + READY_TIMEOUT_MS + " ms");
      return EXIT_FAILED;
    }
    System.out.println(READY_PREFIX + host + ":" + port);
    System.out.flush();
    try {
      server.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return EXIT_FAILED;
  }

  private String validate() {
    if (port < 1 || port > 65535) {
      return "--port must be 1..65535, was " + port;
    }
    if (tickMs < 10 || tickMs > 10_000) {
      return "--tick-ms must be 10..10000, was " + tickMs;
    }
    if ((serverId == null) != (peers == null)) {
      return "--server-id and --peers go together";
    }
    if (peers != null) {
      if (serverId < 1 || serverId > peers.size()) {
        return "--server-id must be 1.." + peers.size() + " (the number of --peers), was " + serverId;
      }
      for (String p : peers) {
        if (p.split(":").length != 3) {
          return "--peers entry '" + p + "' is not host:quorumPort:electionPort";
        }
      }
    }
    return null;
  }

  private Properties properties() throws IOException {
    Properties p = new Properties();
    p.setProperty("dataDir", data.toAbsolutePath().toString());
    p.setProperty("clientPort", Integer.toString(port));
    p.setProperty("clientPortAddress", host);
    p.setProperty("tickTime", Integer.toString(tickMs));
    p.setProperty("minSessionTimeout", Integer.toString(2 * tickMs));
    p.setProperty("maxSessionTimeout", "60000");
    p.setProperty("initLimit", "20");
    p.setProperty("syncLimit", "10");
    p.setProperty("maxClientCnxns", "0");
    if (peers != null) {
      for (int i = 0; i < peers.size(); i++) {
        p.setProperty("server." + (i + 1), peers.get(i));
      }
      Files.writeString(data.resolve("myid"), serverId + "\n", StandardCharsets.US_ASCII);
    }
    return p;
  }

  private void serve(QuorumPeerConfig config) {
    try {
      if (peers == null) {
        ServerConfig sc = new ServerConfig();
        sc.readFrom(config);
        new ZooKeeperServerMain().runFromConfig(sc);
      } else {
        new QuorumPeerMain().runFromConfig(config);
      }
    } catch (Exception e) {
      System.err.println("lockstep zk: server on " + host + ":" + port + " stopped: " + e);
      System.exit(EXIT_FAILED);
    }
  }

  /** Polls the four-letter {@code srvr} command until the server reports a mode (it serves requests). */
  private boolean awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
    while (System.nanoTime() < deadline) {
      if (serving(host, port)) {
        return true;
      }
      try {
        Thread.sleep(READY_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** True when the ZooKeeper server at host:port answers {@code srvr} with a mode line. */
  static boolean serving(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
      s.setSoTimeout(PROBE_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String reply = new String(in.readNBytes(PROBE_REPLY_BYTES_MAX), StandardCharsets.UTF_8);
      return reply.contains("Mode: ");
    } catch (IOException e) {
      return false;
    }
  }

  private static void quietLogs() {
    // Before ZooKeeper's classes create their loggers; slf4j-simple reads levels from system properties.
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    System.setProperty("zookeeper.4lw.commands.whitelist", "srvr,ruok");
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.maxCnxns", Integer.toString(CONNECTIONS_MAX));
    System.setProperty("zookeeper.jmx.log4j.disable", "true");
  }
}
