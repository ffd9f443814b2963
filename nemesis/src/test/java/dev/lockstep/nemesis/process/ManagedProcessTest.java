package dev.lockstep.nemesis.process;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.nemesis.NemesisException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManagedProcessTest {
  private static final Duration WAIT_MAX = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(400);

  /** Lines the current child printed; a new counter is attached at every launch. */
  private final AtomicLong ticks = new AtomicLong();
  private ManagedProcess proc;

  private Process ticker() throws IOException {
    Process p = new ProcessBuilder("sh", "-c", "while true; do echo tick; sleep 0.02; done").start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                while (r.readLine() != null) {
                  ticks.incrementAndGet();
                }
              } catch (IOException e) {
                // the child was killed
              }
            },
            "ticks");
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  @AfterEach
  void stopAll() {
    if (proc != null) {
      long pid = proc.pid();
      proc.close();
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child left running");
    }
  }

  private static char state(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  private void awaitTicking() {
    long from = ticks.get();
    await().atMost(WAIT_MAX).until(() -> ticks.get() > from + 3);
  }

  @Test
  void killIsSigkill() throws Exception {
    proc = ManagedProcess.start("ticker", this::ticker);
    awaitTicking();
    proc.kill();
    assertFalse(proc.isAlive());
    assertEquals(128 + 9, proc.process().exitValue(), "exit status of a SIGKILLed process");
  }

  @Test
  void pauseStopsTheProcessAndResumeContinuesIt() throws Exception {
    proc = ManagedProcess.start("ticker", this::ticker);
    awaitTicking();
    proc.pause();
    assertTrue(proc.isPaused());
    assertEquals('T', state(proc.pid()));
    // A line may still be in flight from before the stop; after that, silence.
    AtomicLong last = new AtomicLong(-1);
    await().pollInterval(QUIET).atMost(WAIT_MAX).until(() -> ticks.get() == last.getAndSet(ticks.get()));
    long stopped = ticks.get();
    await().during(QUIET).atMost(WAIT_MAX).until(() -> ticks.get() == stopped);
    proc.resume();
    assertFalse(proc.isPaused());
    awaitTicking();
    assertNotEquals('T', state(proc.pid()));
  }

  @Test
  void restartLaunchesAFreshInstance() {
    proc = ManagedProcess.start("ticker", this::ticker);
    long first = proc.pid();
    proc.restart();
    assertNotEquals(first, proc.pid());
    assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
    assertTrue(proc.isAlive());
    assertEquals(2, proc.launches());
    awaitTicking();
  }

  @Test
  void restartAfterKillBringsItBack() {
    proc = ManagedProcess.start("ticker", this::ticker);
    proc.kill();
    proc.restart();
    assertTrue(proc.isAlive());
    awaitTicking();
  }

  @Test
  void stopEndsAPausedProcess() {
    proc = ManagedProcess.start("ticker", this::ticker);
    proc.pause();
    proc.stop();
    assertFalse(proc.isAlive());
    assertFalse(proc.isPaused());
  }

  @Test
  void signalsReachChildrenOfAWrapper() throws Exception {
    proc = ManagedProcess.start("wrapper", () -> new ProcessBuilder("sh", "-c", "sleep 60 & wait").start());
    await().atMost(WAIT_MAX).until(() -> proc.process().descendants().findAny().isPresent());
    long child = proc.process().descendants().findFirst().orElseThrow().pid();
    proc.pause();
    assertEquals('T', state(child));
    proc.kill();
    await().atMost(WAIT_MAX).until(() -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aLauncherFailureIsANemesisException() {
    NemesisException e =
        assertThrows(NemesisException.class, () -> ManagedProcess.start("ghost", () -> new ProcessBuilder("/nonexistent/binary").start()));
    assertTrue(e.getMessage().contains("ghost"), e.getMessage());
  }
}
