package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Thousands of random small histories: the real checker and the brute-force one must agree. */
class BruteForceAgreementTest {
  private static final int CASES = Integer.getInteger("checkers.bruteForceCases", 6000);
  private static final int CALLS_MAX = Integer.getInteger("checkers.bruteForceCallsMax", 7);
  private static final int PROCESSES_MAX = Integer.getInteger("checkers.bruteForceProcessesMax", 3);
  private static final String[] MODELS = {"register", "cas-register", "kv", "mutex", "list-append"};

  @Test
  void agreesWithBruteForceOnRandomHistories() {
    SplittableRandom random = new SplittableRandom(Long.getLong("checkers.bruteForceSeed", 20240611L));
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < CASES; i++) {
      String model = MODELS[i % MODELS.length];
      boolean knossosNil = random.nextBoolean();
      Object init = model.equals("mutex") || model.equals("list-append") || random.nextBoolean() ? null : 0L;
      List<Op> history = generate(random, model);
      boolean expected = BruteForce.linearizable(history, model, init, knossosNil);
      LinearOptions options = LinearOptions.of(Model.parse(model), System::nanoTime)
          .withInit(init)
          .withKnossosNil(knossosNil)
          .withTimeLimit(Duration.ofSeconds(10));
      Verdict actual = new LinearizabilityChecker(options).analyze(history).result().verdict();
      assertEquals(expected ? Verdict.TRUE : Verdict.FALSE, actual,
          () -> "case " + model + " init=" + init + " knossosNil=" + knossosNil + "\n" + render(history));
      if (expected) {
        valid++;
      } else {
        invalid++;
      }
    }
    // Both verdicts must be well represented, or the agreement would prove little.
    assertTrue(valid > CASES / 5 && invalid > CASES / 5, "valid=" + valid + " invalid=" + invalid);
  }

  private static List<Op> generate(SplittableRandom random, String model) {
    int processes = 1 + random.nextInt(PROCESSES_MAX);
    int callsLeft = 1 + random.nextInt(CALLS_MAX);
    String[] open = new String[processes];
    Object[] openValue = new Object[processes];
    List<Object> appended = new ArrayList<>();
    List<Op> ops = new ArrayList<>();
    long element = 0;
    while (callsLeft > 0 || anyOpen(open)) {
      int p = random.nextInt(processes);
      if (open[p] == null) {
        if (callsLeft == 0) {
          continue;
        }
        callsLeft--;
        String f = pickF(random, model);
        Object value = switch (f) {
          case "write" -> (long) random.nextInt(3);
          case "cas" -> List.of((long) random.nextInt(3), (long) random.nextInt(3));
          case "append" -> element++;
          default -> null;
        };
        if (f.equals("append")) {
          appended.add(value);
        }
        open[p] = f;
        openValue[p] = value;
        ops.add(op(ops.size(), Op.Type.INVOKE, p, f, value, model));
      } else {
        if (callsLeft == 0 && random.nextInt(4) == 0) {
          open[p] = null; // never completes
          continue;
        }
        int roll = random.nextInt(10);
        Op.Type type = roll < 6 ? Op.Type.OK : roll < 8 ? Op.Type.INFO : Op.Type.FAIL;
        Object value = openValue[p];
        if (open[p].equals("read")) {
          value = type != Op.Type.OK ? null : readValue(random, model, appended);
        }
        ops.add(op(ops.size(), type, p, open[p], value, model));
        open[p] = null;
      }
    }
    return ops;
  }

  private static Object readValue(SplittableRandom random, String model, List<Object> appended) {
    if (model.equals("list-append")) {
      if (random.nextInt(8) == 0) {
        return null;
      }
      List<Object> list = new ArrayList<>(appended.subList(0, random.nextInt(appended.size() + 1)));
      if (list.size() >= 2 && random.nextInt(4) == 0) {
        java.util.Collections.swap(list, 0, 1);
      }
      return list;
    }
    int v = random.nextInt(4);
    return v == 3 ? null : (Object) (long) v;
  }

  private static String pickF(SplittableRandom random, String model) {
    return switch (model) {
      case "register" -> random.nextBoolean() ? "read" : "write";
      case "mutex" -> random.nextBoolean() ? "acquire" : "release";
      case "list-append" -> random.nextBoolean() ? "read" : "append";
      default -> new String[] {"read", "write", "cas"}[random.nextInt(3)];
    };
  }

  private static boolean anyOpen(String[] open) {
    for (String f : open) {
      if (f != null) {
        return true;
      }
    }
    return false;
  }

  private static Op op(int index, Op.Type type, int process, String f, Object value, String model) {
    Object key = model.equals("kv") || model.equals("list-append") ? (Object) (long) (process % 2) : null;
    return new Op(index, type, f, value, (long) process, index, null, key, null);
  }

  private static String render(List<Op> history) {
    StringBuilder out = new StringBuilder();
    for (Op op : history) {
      out.append(op.index()).append(' ').append(op.process()).append(' ').append(op.type().label()).append(' ')
          .append(op.f()).append(' ').append(op.value()).append(" key=").append(op.key()).append('\n');
    }
    return out.toString();
  }
}
