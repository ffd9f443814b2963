package dev.lockstep.harness.runner;

import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.harness.generator.Invocation;
import dev.lockstep.harness.workload.Client;
import dev.lockstep.harness.workload.ClientException;
import dev.lockstep.harness.workload.ClientTarget;
import dev.lockstep.harness.workload.Completion;
import dev.lockstep.harness.workload.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The liveness phase after every fault is healed: the cluster must serve again within a bound. A fresh
 * process reads every key (the single register, or each key of a multi-key workload) until each read
 * ends ok; every attempt is recorded in the history, so the final reads also constrain the checkers (a
 * lost append shows up in them). Not reaching an ok read of every key in time makes the run invalid.
 */
public final class Liveness {

  public static final String CHECKER = "liveness";
  /** Pause between attempts after a failed read. */
  public static final long RETRY_NANOS = 100_000_000L;

  private Liveness() {}

  /**
   * @param keys the keys to read ({@code null} entries for the single register)
   * @param firstProcess a process id no worker ever used; later attempts count up from it
   */
  public static Result check(Supplier<Client> clients, ClientTarget target, List<Integer> keys, int firstProcess,
      HistoryRecorder history, RunClock clock, long boundNanos) throws InterruptedException {
    long start = clock.nanos();
    long deadline = start + boundNanos;
    int process = firstProcess;
    List<Integer> pending = new ArrayList<>(keys);
    String lastError = "no attempt";
    int attempts = 0;
    while (!pending.isEmpty() && clock.nanos() < deadline) {
      try (Client client = clients.get()) {
        client.open(target, process);
        while (!pending.isEmpty() && clock.nanos() < deadline) {
          Invocation read = Invocation.read(pending.get(0));
          history.invoke(process, read);
          Completion done = client.invoke(read);
          history.complete(process, read, done);
          attempts++;
          if (done.outcome() == Outcome.OK) {
            pending.remove(0);
            continue;
          }
          lastError = done.error();
          if (done.outcome() == Outcome.INFO) {
            break;
          }
          clock.sleepUntil(clock.nanos() + RETRY_NANOS);
        }
      } catch (ClientException e) {
        lastError = e.getMessage();
        clock.sleepUntil(clock.nanos() + RETRY_NANOS);
      }
      process++;
    }
    return result(pending.isEmpty(), keys.size() - pending.size(), keys.size(), attempts, clock.nanos() - start,
        boundNanos, lastError);
  }

  /**
   * FT survives one failure at a time (paper §2.3): with {@code double-failure} the nemesis may kill or
   * pause a node that held the only copy of the cluster's state, and no node may serve after it without
   * losing acknowledged writes. A cluster that stays unavailable after that is no finding: its liveness
   * is unknown, with the nodes named. The safety checkers judge the run as ever.
   */
  public static Result beyondOneFailure(Result liveness, java.util.Collection<String> onlyCopy) {
    if (liveness.verdict() != Verdict.FALSE || onlyCopy.isEmpty()) {
      return liveness;
    }
    Map<String, Object> evidence = new LinkedHashMap<>(liveness.evidence());
    evidence.put("reason", "the nemesis took " + List.copyOf(onlyCopy) + " and no copy of the cluster's state"
        + " was left (a double-failure fault, or overlapping faults: see the no-copy op): beyond FT's one failure at"
        + " a time; then: "
        + liveness.evidence().get("reason"));
    return Result.of(liveness.checker(), Verdict.UNKNOWN, evidence);
  }

  /** The liveness result as recorded: shared by the real and the simulated runner. */
  public static Result result(boolean ok, int served, int total, int attempts, long tookNanos, long boundNanos,
      String lastError) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("keys-read", served);
    evidence.put("keys", total);
    evidence.put("attempts", attempts);
    evidence.put("recovery-ms", tookNanos / 1_000_000L);
    evidence.put("bound-ms", boundNanos / 1_000_000L);
    if (!ok) {
      evidence.put("reason", "the healed cluster did not serve every key within the bound; last error: " + lastError);
    }
    return Result.of(CHECKER, ok ? Verdict.TRUE : Verdict.FALSE, evidence);
  }
}
