package dev.lockstep.ftvm.node.it;

import dev.lockstep.ftvm.node.host.NodeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One {@code lockstep node} as a real child process of the test JVM. */
final class NodeProcess {

  final String id;
  final Path dataDir;
  final int clientPort;
  final int logPort;
  private final Process process;

  private NodeProcess(String id, Path dataDir, int clientPort, int logPort, Process process) {
    this.id = id;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.logPort = logPort;
    this.process = process;
  }

  static NodeProcess start(String id, Path dataDir, int clientPort, int logPort, List<String> args)
      throws IOException {
    Files.createDirectories(dataDir);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=warn",
        "-Dorg.slf4j.simpleLogger.log.org.apache.curator=warn",
        "-cp", System.getProperty("java.class.path"),
        NodeCommand.class.getName(),
        "--id", id, "--data", dataDir.toString(),
        "--client-port", Integer.toString(clientPort), "--log-port", Integer.toString(logPort)));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("node.log").toFile()))
        .start();
    return new NodeProcess(id, dataDir, clientPort, logPort, p);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: a clean shutdown. */
  void terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  int exitCode() {
    return process.exitValue();
  }

  Path events() {
    return dataDir.resolve("events.jsonl");
  }

  Path notes() {
    return dataDir.resolve("notes.jsonl");
  }

  String log() {
    try {
      return Files.readString(dataDir.resolve("node.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
