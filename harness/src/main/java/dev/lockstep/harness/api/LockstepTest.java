package dev.lockstep.harness.api;

import dev.lockstep.harness.runner.ClusterException;
import dev.lockstep.harness.runner.RunOutcome;
import dev.lockstep.harness.runner.TestRunner;
import dev.lockstep.harness.runner.TestSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One chaos test as a Java call, for JUnit 5 suites:
 *
 * <pre>{@code
 * TestResult r = LockstepTest.builder()
 *     .workload("cas-register").nemesis("partition", "kill")
 *     .timeLimit(Duration.ofSeconds(30)).seed(42)
 *     .run();
 * assertTrue(r.valid(), r::describe);
 * }</pre>
 *
 * Starts real processes (ZooKeeper, the nodes) on this machine and stops them before returning. Settings
 * not given keep the defaults of {@code lockstep test}.
 */
public final class LockstepTest {

  private LockstepTest() {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the settings of one test; {@link #run()} validates and runs them. */
  public static final class Builder {
    private TestSettings s = TestSettings.defaults();
    private PrintStream out = new PrintStream(OutputStream.nullOutputStream());

    private Builder() {}

    public Builder workload(String workload) {
      s = copy(b -> b.workload = workload);
      return this;
    }

    /** Fault families ({@code partition}, {@code kill}, ...); none for a fault-free run. */
    public Builder nemesis(String... families) {
      List<String> list = Arrays.stream(families).filter(f -> !f.equals("none")).toList();
      s = copy(b -> b.nemesis = list);
      return this;
    }

    public Builder timeLimit(Duration limit) {
      s = copy(b -> b.timeLimit = limit.toNanos() / 1e9);
      return this;
    }

    public Builder seed(long seed) {
      s = copy(b -> b.seed = seed);
      return this;
    }

    public Builder concurrency(int concurrency) {
      s = copy(b -> b.concurrency = concurrency);
      return this;
    }

    public Builder rate(double opsPerSecond) {
      s = copy(b -> b.rate = opsPerSecond);
      return this;
    }

    /** Plants a known bug in every node ({@code lockstep test --unsafe}). */
    public Builder unsafe(String... bugs) {
      List<String> list = new ArrayList<>(s.unsafe());
      list.addAll(Arrays.asList(bugs));
      s = copy(b -> b.unsafe = list);
      return this;
    }

    public Builder keys(int keys) {
      s = copy(b -> b.keys = keys);
      return this;
    }

    public Builder nemesisInterval(Duration interval) {
      s = copy(b -> b.nemesisInterval = interval.toNanos() / 1e9);
      return this;
    }

    public Builder callTimeout(Duration timeout) {
      s = copy(b -> b.callTimeout = timeout.toNanos() / 1e9);
      return this;
    }

    public Builder liveness(Duration bound) {
      s = copy(b -> b.liveness = bound.toNanos() / 1e9);
      return this;
    }

    /** The directory under which run directories are created (default {@code store}). */
    public Builder store(java.nio.file.Path store) {
      s = copy(b -> b.store = store.toString());
      return this;
    }

    /** TLS on the logging channel and the client port, with a throwaway CA made for the run (default off). */
    public Builder tls(boolean on) {
      s = copy(b -> b.tls = on);
      return this;
    }

    /**
     * {@code proxy} (default: a fault proxy on every link) or {@code netns} (each member in its own network
     * namespace, faults as iptables rules; needs root).
     */
    public Builder net(String mode) {
      s = copy(b -> b.net = mode);
      return this;
    }

    /** Where the verdict summary is printed (default: nowhere). */
    public Builder output(PrintStream printTo) {
      this.out = printTo;
      return this;
    }

    public TestSettings settings() {
      return s;
    }

    /**
     * Runs the test.
     *
     * @throws IllegalArgumentException for bad settings, naming the setting
     * @throws IllegalStateException when the cluster could not be started or the run directory written
     */
    public TestResult run() throws InterruptedException {
      s.validate();
      try {
        RunOutcome o = new TestRunner(out, out, false).run(s);
        return new TestResult(o.verdict(), o.results(), o.runDirectory(), o.rerunCommand(), o.ops());
      } catch (ClusterException | IOException e) {
        throw new IllegalStateException("lockstep test could not run: " + e.getMessage() + "; rerun: " + s.command(), e);
      }
    }

    private TestSettings copy(java.util.function.Consumer<Fields> change) {
      Fields f = new Fields(s);
      change.accept(f);
      return f.build();
    }
  }

  /** A mutable copy of the settings, so each builder method changes one field. */
  private static final class Fields {
    String workload;
    List<String> nemesis;
    double timeLimit;
    int concurrency;
    double rate;
    long seed;
    String zk;
    int zkServers;
    int nodes;
    List<String> unsafe;
    int keys;
    double callTimeout;
    double liveness;
    double nemesisInterval;
    String store;
    boolean tls;
    String net;

    Fields(TestSettings s) {
      workload = s.workload();
      nemesis = s.nemesis();
      timeLimit = s.timeLimitSeconds();
      concurrency = s.concurrency();
      rate = s.rate();
      seed = s.seed();
      zk = s.zk();
      zkServers = s.zkServers();
      nodes = s.nodes();
      unsafe = s.unsafe();
      keys = s.keyCount();
      callTimeout = s.callTimeoutSeconds();
      liveness = s.livenessSeconds();
      nemesisInterval = s.nemesisIntervalSeconds();
      store = s.store();
      tls = s.tls();
      net = s.net();
    }

    TestSettings build() {
      return new TestSettings(workload, nemesis, timeLimit, concurrency, rate, seed, zk, zkServers, nodes, unsafe, keys,
          callTimeout, liveness, nemesisInterval, store).withTls(tls).withNet(net);
    }
  }
}
