package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random small histories of the multi-register and porcupine-kv models: the real checker and the
 * brute-force one must agree, with crashed calls, nil reads and initial values.
 */
class NewModelsAgreementTest {
  private static final int CASES = Integer.getInteger("checkers.bruteForceCases", 6000) / 2;
  private static final int CALLS_MAX = 6;
  private static final int PROCESSES_MAX = 3;
  private static final List<Object> KEYS = List.of(new Keyword("x"), new Keyword("y"));
  private static final String[] PIECES = {"a", "b", "ab"};
  private static final String[] SEEN = {"", "a", "b", "ab", "ba", "aab", "abab", "aa"};

  @Test
  void multiRegisterAgreesWithBruteForce() {
    agree("multi-register", 20261207L);
  }

  @Test
  void porcupineKvAgreesWithBruteForce() {
    agree("porcupine-kv", 20261208L);
  }

  private static void agree(String model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < CASES; i++) {
      boolean knossosNil = model.equals("porcupine-kv") && random.nextBoolean();
      Object init = init(random, model);
      List<Op> history = generate(random, model);
      boolean expected = BruteForce.linearizable(history, model, init, knossosNil);
      LinearOptions options = LinearOptions.of(Model.parse(model), System::nanoTime)
          .withInit(init)
          .withKnossosNil(knossosNil)
          .withTimeLimit(Duration.ofSeconds(10));
      Verdict actual = new LinearizabilityChecker(options).analyze(history).result().verdict();
      assertEquals(expected ? Verdict.TRUE : Verdict.FALSE, actual,
          () -> "case " + model + " init=" + init + " knossosNil=" + knossosNil + "\n" + history);
      if (expected) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertTrue(valid > CASES / 5 && invalid > CASES / 5, "valid=" + valid + " invalid=" + invalid);
  }

  private static Object init(SplittableRandom random, String model) {
    return switch (random.nextInt(3)) {
      case 0 -> null;
      case 1 -> model.equals("porcupine-kv") ? "a" : 0L;
      default -> model.equals("porcupine-kv") ? null : Map.of(KEYS.get(0), 1L);
    };
  }

  private static List<Op> generate(SplittableRandom random, String model) {
    int processes = 1 + random.nextInt(PROCESSES_MAX);
    int callsLeft = 1 + random.nextInt(CALLS_MAX);
    Op[] open = new Op[processes];
    long[] id = new long[processes];
    for (int p = 0; p < processes; p++) {
      id[p] = p;
    }
    List<Op> ops = new ArrayList<>();
    while (callsLeft > 0 || Arrays.stream(open).anyMatch(o -> o != null)) {
      int p = random.nextInt(processes);
      if (open[p] == null) {
        if (callsLeft == 0) {
          continue;
        }
        callsLeft--;
        open[p] = model.equals("porcupine-kv") ? invokeKv(random, id[p]) : invokeTxn(random, id[p]);
        ops.add(open[p]);
        continue;
      }
      Op in = open[p];
      open[p] = null;
      int outcome = random.nextInt(10);
      if (outcome == 0) {
        id[p] += PROCESSES_MAX; // never completes: the process is retired for a fresh one, as in Jepsen
        continue;
      }
      Op.Type type = outcome == 1 ? Op.Type.INFO : outcome == 2 ? Op.Type.FAIL : Op.Type.OK;
      Object value = type == Op.Type.OK ? completed(random, in) : in.value();
      ops.add(new Op(Op.ABSENT, type, in.f(), value, id[p], Op.ABSENT, null, in.key(), null));
    }
    return ops;
  }

  private static Op invokeTxn(SplittableRandom random, long p) {
    List<Object> txn = new ArrayList<>();
    int n = 1 + random.nextInt(2);
    for (int i = 0; i < n; i++) {
      boolean write = random.nextBoolean();
      Keyword f = new Keyword(write ? (random.nextBoolean() ? "w" : "write") : (random.nextBoolean() ? "r" : "read"));
      txn.add(Arrays.asList(f, KEYS.get(random.nextInt(KEYS.size())), write ? (Object) (long) random.nextInt(3) : null));
    }
    return new Op(Op.ABSENT, Op.Type.INVOKE, "txn", txn, p, Op.ABSENT, null, null, null);
  }

  private static Op invokeKv(SplittableRandom random, long p) {
    String key = random.nextBoolean() ? "k1" : "k2";
    return switch (random.nextInt(3)) {
      case 0 -> new Op(Op.ABSENT, Op.Type.INVOKE, "get", null, p, Op.ABSENT, null, key, null);
      case 1 -> new Op(Op.ABSENT, Op.Type.INVOKE, "put", PIECES[random.nextInt(PIECES.length)], p, Op.ABSENT, null, key, null);
      default -> new Op(Op.ABSENT, Op.Type.INVOKE, "append", PIECES[random.nextInt(PIECES.length)], p, Op.ABSENT, null, key, null);
    };
  }

  /** The completion's value: reads see a random plausible value (a nil read sometimes). */
  private static Object completed(SplittableRandom random, Op in) {
    if (in.f().equals("get")) {
      return random.nextInt(8) == 0 ? null : SEEN[random.nextInt(SEEN.length)];
    }
    if (!in.f().equals("txn")) {
      return in.value();
    }
    List<Object> done = new ArrayList<>();
    for (Object o : (List<?>) in.value()) {
      List<?> m = (List<?>) o;
      boolean read = ((Keyword) m.get(0)).name().startsWith("r");
      Object seen = random.nextInt(6) == 0 ? null : (Object) (long) random.nextInt(3);
      done.add(read ? Arrays.asList(m.get(0), m.get(1), seen) : m);
    }
    return done;
  }
}
