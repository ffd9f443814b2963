package dev.lockstep.harness.runner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches {@code lockstep <args>} as a separate JVM on the current classpath (the fat jar or the build's
 * classes), its output appended to a log file so a restart keeps what the previous instance said.
 */
public final class ChildJvm {

  public static final String MAIN_CLASS = "dev.lockstep.harness.cli.LockstepCli";
  /** Heap of each child JVM: nodes hold a 16 MiB guest plus bounded log buffers. */
  public static final String CHILD_HEAP = "-Xmx256m";

  /**
   * TRICKY: with SASL on (ZooKeeper's default) a ZooKeeper client looks up the server's address in DNS
   * before every connect; in a network namespace, where no DNS server answers, each lookup hangs for
   * seconds and the node never connects. The run's ZooKeeper uses digest credentials, never SASL.
   */
  public static final String NO_ZK_SASL = "-Dzookeeper.sasl.client=false";

  private ChildJvm() {}

  public static Process launch(List<String> lockstepArgs, Path logFile) throws IOException {
    return builder(lockstepArgs, logFile).start();
  }

  /** The process {@link #launch} starts, not yet started (to start it elsewhere, e.g. in a network namespace). */
  public static ProcessBuilder builder(List<String> lockstepArgs, Path logFile) throws IOException {
    Files.createDirectories(logFile.getParent());
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add(CHILD_HEAP);
    command.add("-XX:+UseSerialGC");
    command.add(NO_ZK_SASL);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN_CLASS);
    command.addAll(lockstepArgs);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return pb;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
