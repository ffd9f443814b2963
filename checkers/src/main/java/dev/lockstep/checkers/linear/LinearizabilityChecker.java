package dev.lockstep.checkers.linear;

import dev.lockstep.checkers.CheckInput;
import dev.lockstep.checkers.Checker;
import dev.lockstep.checkers.Evidence;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a history for linearizability with Knossos's semantics: a failed call did not happen, a
 * crashed call (info, or never completed) may take effect at any moment after its invocation or
 * never, a crashed read constrains nothing. Keys are checked independently and in parallel; the
 * deadline and the memo byte budget turn a search that would run too long or too big into
 * {@code unknown}.
 */
public final class LinearizabilityChecker implements Checker {
  public static final String NAME = "linearizable";
  private static final int CONCURRENT_SHOWN_MAX = 24;
  private static final long EXPLAIN_NANOS_MIN = 1_000_000_000L;
  private static final int KEY_THREADS_MAX = 16;
  private static final int KEYS_PER_CORE = 4;

  private final LinearOptions options;

  public LinearizabilityChecker(LinearOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result check(CheckInput input) {
    return analyze(input.history()).result();
  }

  /** Checks {@code history} (ops in order) and keeps the counterexample, if any. */
  public LinearReport analyze(List<Op> history) {
    Model model = options.model() != null ? options.model() : Calls.infer(history);
    List<Call> calls;
    try {
      calls = Calls.pair(history, model);
    } catch (HistoryException e) {
      return new LinearReport(badInput(e.getMessage()), null);
    }
    List<Map.Entry<Object, List<Call>>> keys = byKey(calls);
    Budget budget = new Budget(options.nanoClock(), options.timeLimit().toNanos(), options.memoBytesMax());
    return merge(model, calls, checkKeys(keys, model, budget));
  }

  /**
   * Checks every key, up to {@link #keyThreadsMax()} keys at a time. TRICKY: more keys at once than
   * cores, so the time slices are shared: a key that is quickly found non-linearizable cancels the
   * others even when the keys started before it would search for a long time (Porcupine's kv
   * histories with 50 clients: one key in 100 ms, others not in 20 s). A parallel stream ran them
   * two at a time, in order, and waited for the slow ones first.
   */
  private List<KeyOutcome> checkKeys(List<Map.Entry<Object, List<Call>>> keys, Model model, Budget budget) {
    int threads = Math.min(keys.size(), keyThreadsMax());
    if (threads <= 1) {
      return keys.stream().map(e -> checkKey(e.getKey(), e.getValue(), model, budget)).toList();
    }
    java.util.concurrent.atomic.AtomicInteger nextKey = new java.util.concurrent.atomic.AtomicInteger();
    KeyOutcome[] outcomes = new KeyOutcome[keys.size()];
    Runnable worker = () -> {
      for (int i = nextKey.getAndIncrement(); i < outcomes.length; i = nextKey.getAndIncrement()) {
        try {
          outcomes[i] = checkKey(keys.get(i).getKey(), keys.get(i).getValue(), model, budget);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
          outcomes[i] = new KeyOutcome(keys.get(i).getKey(), Verdict.UNKNOWN, "checker failed: " + e, null, 0, false);
        }
      }
    };
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(worker, "lockstep-key-" + t);
      thread.setDaemon(true);
      thread.start();
      started.add(thread);
    }
    boolean interrupted = false;
    for (Thread thread : started) {
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
          budget.cancel();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        outcomes[i] = new KeyOutcome(keys.get(i).getKey(), Verdict.UNKNOWN, "interrupted", null, 0, false);
      }
    }
    return List.of(outcomes);
  }

  /** Keys searched at once: a few per core, so one key found invalid soon stops the long searches. */
  private static int keyThreadsMax() {
    return Math.min(KEY_THREADS_MAX, KEYS_PER_CORE * Runtime.getRuntime().availableProcessors());
  }

  private static final Object NO_KEY = new Object();
  /** Evidence key of an unknown result that is due to the input, not to a bound: an op the model cannot take. */
  public static final String BAD_INPUT = "bad-input";

  private static Result badInput(String message) {
    Result unknown = Result.unknown(NAME, "history cannot be checked: " + message);
    Map<String, Object> evidence = new LinkedHashMap<>(unknown.evidence());
    evidence.put(BAD_INPUT, true);
    return Result.of(NAME, Verdict.UNKNOWN, evidence);
  }

  /** Whether {@code result} is unknown because the history does not fit the model (bad input, not a bound). */
  public static boolean isBadInput(Result result) {
    return Boolean.TRUE.equals(result.evidence().get(BAD_INPUT));
  }

  /** The calls of each key, keys in order of first appearance, calls in order. */
  private static List<Map.Entry<Object, List<Call>>> byKey(List<Call> calls) {
    Numbering numbers = new Numbering();
    List<Map.Entry<Object, List<Call>>> byKey = new ArrayList<>();
    for (Call c : calls) {
      Object key = keyOf(c);
      int n = numbers.numberOf(key);
      if (n == byKey.size()) {
        byKey.add(Map.entry(key, new ArrayList<>()));
      }
      byKey.get(n).getValue().add(c);
    }
    return byKey;
  }

  private static Object keyOf(Call call) {
    return call.key() == null ? NO_KEY : call.key();
  }

  private KeyOutcome checkKey(Object key, List<Call> calls, Model model, Budget budget) {
    Object shownKey = key == NO_KEY ? null : key;
    try {
      KeyProblem problem = KeyProblem.compile(shownKey, calls, model, options, budget);
      long start = options.nanoClock().getAsLong();
      SearchOutcome outcome = new Search(problem, budget).run();
      if (!outcome.valid()) {
        budget.cancel();
        long took = options.nanoClock().getAsLong() - start;
        Budget explain = budget.explaining(Math.max(EXPLAIN_NANOS_MIN, took));
        return new KeyOutcome(shownKey, Verdict.FALSE, null, exactCounterexample(problem, outcome, calls, explain), outcome.memoEntries(), false);
      }
      return new KeyOutcome(shownKey, Verdict.TRUE, null, null, outcome.memoEntries(), false);
    } catch (BoundReached e) {
      return new KeyOutcome(shownKey, Verdict.UNKNOWN, e.getMessage(), null, 0, false);
    } catch (HistoryException e) {
      return new KeyOutcome(shownKey, Verdict.UNKNOWN, "history cannot be checked: " + e.getMessage(), null, 0, true);
    }
  }

  /**
   * Searches an invalid key again with every value kept apart, so the counterexample names the
   * states exactly and blames the call a person would; keeps the first counterexample when that
   * search reaches its bound (no longer than the first search took, and at least a second).
   */
  private Counterexample exactCounterexample(KeyProblem problem, SearchOutcome outcome, List<Call> calls, Budget budget) {
    try {
      KeyProblem exact = KeyProblem.compile(problem.key, calls, problem.model, options, budget, true);
      SearchOutcome again = new Search(exact, budget, true).run();
      if (!again.valid()) {
        return counterexample(exact, again);
      }
    } catch (BoundReached e) {
      // The first counterexample stands.
    }
    return counterexample(problem, outcome);
  }

  private record KeyOutcome(
      Object key, Verdict verdict, String reason, Counterexample counterexample, long memo, boolean badInput) {}

  private LinearReport merge(Model model, List<Call> calls, List<KeyOutcome> outcomes) {
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("model", model.label());
    evidence.put("calls", calls.size());
    evidence.put("crashed", calls.stream().filter(Call::crashed).count());
    evidence.put("keys", outcomes.size());
    evidence.put("memo-entries", outcomes.stream().mapToLong(KeyOutcome::memo).sum());
    KeyOutcome invalid = outcomes.stream()
        .filter(o -> o.verdict() == Verdict.FALSE)
        .min(Comparator.comparingInt(o -> o.counterexample().op().completionPos()))
        .orElse(null);
    if (invalid != null) {
      evidence.putAll(invalid.counterexample().toMap());
      return new LinearReport(Result.of(NAME, Verdict.FALSE, evidence), invalid.counterexample());
    }
    List<KeyOutcome> unknown = outcomes.stream()
        .filter(o -> o.verdict() == Verdict.UNKNOWN)
        .sorted(Comparator.comparing(o -> !o.badInput()))
        .toList();
    if (!unknown.isEmpty()) {
      evidence.put("reason", unknown.get(0).reason());
      if (unknown.get(0).badInput()) {
        evidence.put(BAD_INPUT, true);
      }
      evidence.put("unknown-keys", unknown.stream().map(o -> Evidence.value(o.key())).limit(20).toList());
      return new LinearReport(Result.of(NAME, Verdict.UNKNOWN, evidence), null);
    }
    return new LinearReport(Result.of(NAME, Verdict.TRUE, evidence), null);
  }

  private static Counterexample counterexample(KeyProblem p, SearchOutcome outcome) {
    Call op = p.calls[outcome.stuckOp()];
    List<Call> concurrent = new ArrayList<>();
    for (Call c : p.calls) {
      if (c != op && c.invokePos() < op.endPos() && c.endPos() > op.invokePos()) {
        concurrent.add(c);
      }
    }
    concurrent.sort(Comparator.comparingInt(c -> Math.abs(c.invokePos() - op.invokePos())));
    List<Call> shown = new ArrayList<>(concurrent.subList(0, Math.min(CONCURRENT_SHOWN_MAX, concurrent.size())));
    shown.sort(Comparator.comparingInt(Call::invokePos));
    List<Object> states = new ArrayList<>();
    for (int s : outcome.states()) {
      states.add(Counterexample.stateValue(p, s));
    }
    List<Call> path = new ArrayList<>();
    for (int x : outcome.path()) {
      path.add(p.calls[x]);
    }
    return new Counterexample(p.key, p.model.label(), op, shown, states, path);
  }
}
