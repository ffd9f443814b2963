package dev.lockstep.ftvm.zk;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A ZooKeeper server running as a real child process ({@code java -cp <this classpath>} {@link ZkCommand}),
 * for tests and the harness: {@link #start} returns once it prints that it is ready, bounded by
 * {@link #READY_TIMEOUT}; {@link #stop} and {@link #kill} end it. Its stderr goes to {@code zk.err} in the
 * data directory.
 */
public final class ZkProcess implements AutoCloseable {
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final String host;
  private final int port;
  private final Path dataDir;

  private ZkProcess(Process process, String host, int port, Path dataDir) {
    this.process = process;
    this.host = host;
    this.port = port;
    this.dataDir = dataDir;
  }

  /** Starts a standalone server on 127.0.0.1:{@code port} keeping its data in {@code dataDir}. */
  public static ZkProcess start(int port, Path dataDir) throws IOException {
    return launch(port, dataDir, List.of());
  }

  /**
   * Starts one member of an ensemble.
   *
   * @param peers every member in id order, {@code host:quorumPort:electionPort}
   */
  public static ZkProcess startMember(int port, Path dataDir, int serverId, List<String> peers) throws IOException {
    return launch(port, dataDir, List.of("--server-id", Integer.toString(serverId), "--peers", String.join(",", peers)));
  }

  private static ZkProcess launch(int port, Path dataDir, List<String> extra) throws IOException {
    Files.createDirectories(dataDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), ZkCommand.class.getName(),
        "--port", Integer.toString(port), "--data", dataDir.toString()));
    cmd.addAll(extra);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("zk.err").toFile()));
    Process p = pb.start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> readStdout(p, ready), "zk-stdout-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new ZkProcess(p, "127.0.0.1", port, dataDir);
    } catch (TimeoutException | ExecutionException e) {
      p.destroyForcibly();
      throw new IOException("ZooKeeper on port " + port + " not ready within " + READY_TIMEOUT.toSeconds()
          + " s; see " + dataDir.resolve("zk.err") + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting ZooKeeper on port " + port);
    }
  }

  private static void readStdout(Process p, CompletableFuture<String> ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith(ZkCommand.READY_PREFIX)) {
          ready.complete(line);
        }
      }
    } catch (IOException e) {
      // The child's stdout closed under us: the process is ending.
    }
    ready.completeExceptionally(new IOException("ZooKeeper process exited before it was ready"));
  }

  public String connectString() {
    return host + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Ends the server gracefully (SIGTERM), forcibly after {@link #STOP_TIMEOUT}; waits until it is gone. */
  public void stop() {
    process.destroy();
    awaitExit();
  }

  /** Ends the server at once (SIGKILL), as a crash; waits until it is gone. */
  public void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  @Override
  public String toString() {
    return "ZooKeeper[" + connectString() + ", pid " + process.pid() + ", data " + dataDir + File.separator + "]";
  }
}
