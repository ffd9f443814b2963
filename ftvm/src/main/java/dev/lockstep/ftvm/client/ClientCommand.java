package dev.lockstep.ftvm.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lockstep client}: one request to a cluster's live primary, for manual use. Prints one line:
 * {@code ok ...}, {@code fail ...} or {@code info ...}; exits 0, 1 or 2 accordingly (254 for bad arguments).
 */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Send one request to the live primary of a cluster: read|write|cas|append|read-list KEY [V [V2]].")
public final class ClientCommand implements Callable<Integer> {
  static final int EXIT_OK = 0;
  static final int EXIT_FAIL = 1;
  static final int EXIT_INFO = 2;
  static final int EXIT_USAGE = 254;
  private static final long CLOCK_BASE_MS = 1_577_836_800_000L;

  @Option(names = "--zk", required = true, description = "ZooKeeper connect string host:port[,host:port...].")
  String zk;

  @Option(names = "--cluster", required = true, description = "Cluster name.")
  String cluster;

  @Option(names = "--client-id", defaultValue = "-1",
      description = "Client id (default: derived from this process id).")
  long clientId;

  @Option(names = "--req-seq", defaultValue = "-1",
      description = "This request's reqSeq (default: grows with the wall clock, so reruns with one client id are new requests).")
  long reqSeq;

  @Option(names = "--timeout-ms", defaultValue = "5000", description = "Bound on the call (default ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--tls-ca", description = "Speak TLS to the primary and trust only this CA certificate (PEM): for a cluster run with --tls.")
  java.nio.file.Path tlsCa;

  @Parameters(index = "0", description = "read, write, cas, append or read-list.")
  String op;

  @Parameters(index = "1..*", arity = "1..3", description = "KEY [V [V2]] as integers.")
  List<String> args;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    // One line of output is the contract; the ZooKeeper client's chatter is not (slf4j-simple reads these per logger).
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.zookeeper", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.org.apache.curator", "warn");
    Request request;
    try {
      request = parse(op, args);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("lockstep client: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (timeoutMs < 1 || timeoutMs > 3_600_000) {
      spec.commandLine().getErr().println("lockstep client: --timeout-ms must be 1..3600000, was " + timeoutMs);
      return EXIT_USAGE;
    }
    if (clientId > 0xFFFF_FFFFL || reqSeq > 0xFFFF_FFFFL || reqSeq == 0) {
      spec.commandLine().getErr().println("lockstep client: --client-id and --req-seq must be u32 values (--req-seq >= 1)");
      return EXIT_USAGE;
    }
    int id = clientId >= 0 ? (int) clientId : (int) (ProcessHandle.current().pid() & 0x7fffffff);
    // Tenths of a second since 2020: grows across reruns and stays below 2^31 for decades.
    long seq = reqSeq > 0 ? reqSeq : (System.currentTimeMillis() - CLOCK_BASE_MS) / 100;
    javax.net.ssl.SSLContext tls;
    try {
      tls = tlsCa == null ? null : dev.lockstep.ftvm.tls.Tls.clientContext(tlsCa);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("lockstep client: " + e.getMessage());
      return EXIT_USAGE;
    }
    try (FtClient c = new FtClient(zk, cluster, id, Duration.ofMillis(timeoutMs))) {
      if (tls != null) {
        c.tls(tls);
      }
      c.continueAfter((int) (seq - 1));
      Result r = c.call(request);
      spec.commandLine().getOut().println(render(request, r));
      if (r instanceof Result.Ok) {
        return EXIT_OK;
      }
      return r instanceof Result.Fail ? EXIT_FAIL : EXIT_INFO;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("lockstep client: " + e.getMessage());
      return EXIT_USAGE;
    }
  }

  static Request parse(String op, List<String> a) {
    int[] v = a.stream().mapToInt(s -> integer(s)).toArray();
    return switch (op) {
      case "read" -> { arity(op, v, 1); yield Request.read(v[0]); }
      case "write" -> { arity(op, v, 2); yield Request.write(v[0], v[1]); }
      case "cas" -> { arity(op, v, 3); yield Request.cas(v[0], v[1], v[2]); }
      case "append" -> { arity(op, v, 2); yield Request.append(v[0], v[1]); }
      case "read-list" -> { arity(op, v, 1); yield Request.readList(v[0]); }
      default -> throw new IllegalArgumentException("unknown op '" + op + "' (read, write, cas, append, read-list)");
    };
  }

  static String render(Request request, Result r) {
    if (r instanceof Result.Ok ok) {
      return "ok " + body(request, ok.reply()) + " " + ids(ok.reply());
    }
    if (r instanceof Result.Fail f) {
      return "fail " + f.reason() + f.reply().map(rep -> " status=" + rep.status() + " " + ids(rep)).orElse("");
    }
    return "info " + ((Result.Info) r).reason();
  }

  private static String body(Request request, Reply reply) {
    if (reply.status() == Status.NIL) {
      return "value=nil";
    }
    return switch (request.op()) {
      case READ -> reply.body().length == 4 ? "value=" + reply.value() : "list=" + Arrays.toString(reply.list());
      case READ_LIST -> "list=" + Arrays.toString(reply.list());
      default -> "status=" + reply.status();
    };
  }

  private static String ids(Reply reply) {
    return "reqSeq=" + Integer.toUnsignedString(reply.reqSeq()) + " outSeq=" + Integer.toUnsignedString(reply.outSeq());
  }

  private static void arity(String op, int[] v, int n) {
    if (v.length != n) {
      throw new IllegalArgumentException(op + " takes " + n + " integer argument" + (n == 1 ? "" : "s")
          + " (KEY" + (n > 1 ? " V" : "") + (n > 2 ? " V2" : "") + "), got " + v.length);
    }
  }

  private static int integer(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a 32-bit integer");
    }
  }
}
