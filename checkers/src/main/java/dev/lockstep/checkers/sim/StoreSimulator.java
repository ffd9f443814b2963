package dev.lockstep.checkers.sim;

import dev.lockstep.histories.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A seeded discrete-event simulation of clients on a linearizable store: every call takes effect
 * atomically at a random instant between its invocation and its completion, so the history it
 * records is linearizable unless an {@link Anomaly} is injected. A crashed call completes as
 * {@code info} (having taken effect or not) and its process is retired for a fresh one, as in
 * Jepsen. Injected anomalies are placed so that no reordering can explain them.
 */
public final class StoreSimulator {
  private static final int LATENCY_NS_MAX = 1000;
  private static final int THINK_NS_MAX = 200;
  private static final int SMALL_VALUES = 5;

  private final SimSpec spec;
  private final SplittableRandom random;
  private final PriorityQueue<long[]> events = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
  private final List<Op> history = new ArrayList<>();
  private final Slot[] slots;
  private final Map<Long, Object> registers = new HashMap<>();
  private final Map<Long, List<Long>> lists = new HashMap<>();
  /** When the one writer of each value completed ok, per key; absent while it has not. */
  private final Map<Long, Map<Object, Long>> writerDone = new HashMap<>();
  /** The last effect on each key whose call completed ok: {prev value, invoke time} of it. */
  private final Map<Long, Object[]> lastDoneEffect = new HashMap<>();
  private final Map<Long, Integer> openWrites = new HashMap<>();
  private long seq;
  private long nextValue = 1;
  private int invoked;
  private boolean anomalyPending;
  private long quietKey = -1;
  private long lostDoneAt = Long.MAX_VALUE;

  private static final class Slot {
    long process;
    String f;
    long key;
    Object value;
    Object result;
    boolean crashed;
    boolean effect;
    boolean lost;
    long invokedAt;
    Object[] staleCandidate;
  }

  private StoreSimulator(SimSpec spec) {
    this.spec = spec;
    this.random = new SplittableRandom(spec.seed());
    this.slots = new Slot[spec.processes()];
    this.anomalyPending = spec.anomaly() != Anomaly.NONE;
  }

  /** The history of one simulated run, ops indexed in order. */
  public static List<Op> run(SimSpec spec) {
    return new StoreSimulator(spec).simulate();
  }

  private List<Op> simulate() {
    for (int s = 0; s < slots.length; s++) {
      slots[s] = new Slot();
      slots[s].process = s;
      schedule(random.nextInt(THINK_NS_MAX), 0, s);
    }
    while (!events.isEmpty()) {
      long[] e = events.poll();
      switch ((int) e[2]) {
        case 0 -> invoke(e[0], (int) e[3]);
        case 1 -> linearize((int) e[3]);
        default -> complete(e[0], (int) e[3]);
      }
    }
    return history;
  }

  private void schedule(long time, int kind, int slot) {
    events.add(new long[] {time, seq++, kind, slot});
  }

  private void invoke(long now, int s) {
    if (invoked == spec.calls()) {
      return;
    }
    invoked++;
    Slot slot = slots[s];
    slot.key = random.nextInt(spec.keys());
    slot.f = pickF(slot.key);
    slot.value = invokeValue(slot);
    slot.crashed = random.nextDouble() * 100 < spec.crashPercent();
    slot.effect = !slot.crashed || random.nextBoolean();
    slot.invokedAt = now;
    slot.lost = false;
    slot.staleCandidate = slot.f.equals("read") ? lastDoneEffect.get(slot.key) : null;
    if (!slot.f.equals("read")) {
      openWrites.merge(slot.key, 1, Integer::sum);
      maybeLose(slot);
    }
    record(Op.Type.INVOKE, slot, slot.f.equals("read") ? null : slot.value, now);
    int latency = 1 + random.nextInt(LATENCY_NS_MAX);
    schedule(now + random.nextInt(latency), 1, s);
    schedule(now + latency, 2, s);
  }

  private String pickF(long key) {
    if (draining(key)) {
      Object current = registers.get(key);
      boolean settled = current == null || writerDone.getOrDefault(key, Map.of()).containsKey(current);
      return openWrites.getOrDefault(key, 0) == 0 && settled ? "write" : "read";
    }
    boolean quiet = key == quietKey;
    if (spec.model().equals("list-append")) {
      return quiet || random.nextBoolean() ? "read" : "append";
    }
    int roll = random.nextInt(3);
    return quiet || roll == 0 ? "read" : roll == 1 ? "write" : "cas";
  }

  private Object invokeValue(Slot slot) {
    switch (slot.f) {
      case "read":
        return null;
      case "append":
        return nextValue++;
      case "write":
        return fresh();
      default:
        Object current = registers.get(slot.key);
        Object expected = random.nextBoolean() && current != null ? current : (Object) (long) random.nextInt(SMALL_VALUES);
        return List.of(expected, fresh());
    }
  }

  private Object fresh() {
    return spec.uniqueValues() ? (Object) nextValue++ : (Object) (long) random.nextInt(SMALL_VALUES);
  }

  /**
   * TRICKY: before losing a write, the key is drained (only reads are invoked on it) until no write
   * is open and its current value's writer has completed, so no reordering can explain the loss.
   */
  private boolean draining(long key) {
    return anomalyPending && spec.anomaly() == Anomaly.LOST_WRITE && key == 0 && invoked > spec.calls() / 4;
  }

  /** A lost write needs a quiet key whose current value's writer is done, so no order explains it. */
  private void maybeLose(Slot slot) {
    if (!anomalyPending || spec.anomaly() != Anomaly.LOST_WRITE || !slot.f.equals("write") || slot.crashed) {
      return;
    }
    Object current = registers.get(slot.key);
    boolean settled = current == null || writerDone.getOrDefault(slot.key, Map.of()).containsKey(current);
    if (openWrites.get(slot.key) == 1 && settled) {
      slot.lost = true;
      anomalyPending = false;
      quietKey = slot.key;
    }
  }

  private void linearize(int s) {
    Slot slot = slots[s];
    if (!slot.effect) {
      return;
    }
    if (spec.model().equals("list-append")) {
      List<Long> list = lists.computeIfAbsent(slot.key, k -> new ArrayList<>());
      if (slot.f.equals("read")) {
        slot.result = List.copyOf(list);
      } else {
        list.add((Long) slot.value);
        if (anomalyPending && spec.anomaly() == Anomaly.DUPLICATE_APPEND && !slot.crashed) {
          list.add((Long) slot.value);
          anomalyPending = false;
          quietKey = slot.key;
        }
      }
      return;
    }
    Object current = registers.get(slot.key);
    switch (slot.f) {
      case "read" -> slot.result = readValue(slot, current);
      case "write" -> {
        slot.result = current;
        if (!slot.lost) {
          registers.put(slot.key, slot.value);
        }
      }
      default -> {
        List<?> cas = (List<?>) slot.value;
        boolean swapped = java.util.Objects.equals(cas.get(0), current);
        slot.result = swapped ? current : FAILED;
        if (swapped) {
          registers.put(slot.key, cas.get(1));
        }
      }
    }
  }

  private static final Object FAILED = new Object();

  private Object readValue(Slot slot, Object current) {
    Object[] stale = slot.staleCandidate;
    if (anomalyPending && spec.anomaly() == Anomaly.STALE_READ && stale != null && !java.util.Objects.equals(stale[0], current)) {
      Long prevDone = stale[0] == null ? Long.MIN_VALUE : writerDone.getOrDefault(slot.key, Map.of()).get(stale[0]);
      if (prevDone != null && prevDone < (Long) stale[1]) {
        anomalyPending = false;
        return stale[0];
      }
    }
    return current;
  }

  private void complete(long now, int s) {
    Slot slot = slots[s];
    boolean write = !slot.f.equals("read");
    if (write) {
      openWrites.merge(slot.key, -1, Integer::sum);
    }
    if (slot.crashed) {
      record(Op.Type.INFO, slot, write ? slot.value : null, now);
      slot.process += spec.processes();
    } else if (slot.result == FAILED) {
      record(Op.Type.FAIL, slot, slot.value, now);
    } else {
      record(Op.Type.OK, slot, write ? slot.value : slot.result, now);
      noteDone(slot, now);
    }
    schedule(now + 1 + random.nextInt(THINK_NS_MAX), 0, s);
  }

  private void noteDone(Slot slot, long now) {
    if (slot.f.equals("read")) {
      if (slot.key == quietKey && slot.invokedAt > lostDoneAt) {
        quietKey = -1;
      }
      if (slot.key == quietKey && spec.anomaly() == Anomaly.DUPLICATE_APPEND) {
        quietKey = -1;
      }
      return;
    }
    if (slot.lost) {
      lostDoneAt = now;
      return;
    }
    if (spec.model().equals("list-append")) {
      return;
    }
    Object written = slot.f.equals("write") ? slot.value : ((List<?>) slot.value).get(1);
    writerDone.computeIfAbsent(slot.key, k -> new HashMap<>()).put(written, now);
    lastDoneEffect.put(slot.key, new Object[] {slot.result, slot.invokedAt});
  }

  private void record(Op.Type type, Slot slot, Object value, long time) {
    Object key = spec.keys() > 1 || spec.model().equals("list-append") ? (Object) slot.key : null;
    history.add(new Op(history.size(), type, slot.f, value, slot.process, time, null, key, null));
  }
}
