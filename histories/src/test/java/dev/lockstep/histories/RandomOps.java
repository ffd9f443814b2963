package dev.lockstep.histories;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Random ops for round-trip tests: only values the given format can carry exactly. */
final class RandomOps {
  private static final String[] NAMES = {
    "read", "write", "cas", "append", "start-partition", "ns/name", "ok?", "1", "x.y", "a'b", "two words", "", "kill!"
  };
  private static final String[] SYMBOLS = {"foo", "java.net.SocketTimeoutException", "a/b", "+", "-", "/", "x1"};
  private static final String TEXT_CHARS = "ab \"\\\n\t\r\b\f\u0001,;:#{}[]()é\u00a0中";
  private static final int DEPTH_MAX = 3;

  private final SplittableRandom random;
  private final boolean edn;

  RandomOps(long seed, boolean edn) {
    this.random = new SplittableRandom(seed);
    this.edn = edn;
  }

  List<Op> history(int size) {
    List<Op> ops = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      ops.add(op());
    }
    return ops;
  }

  Op op() {
    Op.Type type = Op.Type.values()[random.nextInt(4)];
    long index = random.nextInt(4) == 0 ? Op.ABSENT : random.nextLong(0, Long.MAX_VALUE);
    long time = random.nextInt(4) == 0 ? Op.ABSENT : random.nextLong(-1, Long.MAX_VALUE);
    String f = random.nextInt(8) == 0 ? null : NAMES[random.nextInt(NAMES.length)];
    return new Op(index, type, f, value(0), process(), time, maybe(), maybe(), extra());
  }

  private Object process() {
    return switch (random.nextInt(6)) {
      case 0 -> edn ? new Keyword("nemesis") : Op.NEMESIS;
      case 1 -> edn ? (Object) new Keyword("named") : "named";
      case 2 -> null;
      default -> (long) random.nextInt(100);
    };
  }

  private Object maybe() {
    return random.nextBoolean() ? null : value(1);
  }

  private Map<String, Object> extra() {
    Map<String, Object> extra = new LinkedHashMap<>();
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      String name = NAMES[random.nextInt(NAMES.length)] + "-x";
      extra.put(name, value(1));
    }
    return extra;
  }

  Object value(int depth) {
    int kinds = depth >= DEPTH_MAX ? 6 : 9;
    int kind = random.nextInt(edn ? kinds + 7 : kinds);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2, 3 -> random.nextLong(-1000, 1000);
      case 4 -> text();
      case 5 -> randomDouble();
      case 6, 7 -> list(depth);
      case 8 -> map(depth);
      default -> ednOnly(kind - 9, depth);
    };
  }

  private Object ednOnly(int kind, int depth) {
    return switch (kind) {
      case 0 -> new Keyword(NAMES[random.nextInt(5)]);
      case 1 -> new Symbol(SYMBOLS[random.nextInt(SYMBOLS.length)]);
      case 2 -> TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length()));
      case 3 -> random.nextBoolean() ? BigInteger.valueOf(random.nextLong()).multiply(BigInteger.TEN.pow(20)) : BigInteger.valueOf(random.nextInt(10));
      case 4 -> BigDecimal.valueOf(random.nextLong(-100000, 100000), random.nextInt(-2, 5));
      case 5 -> new Tagged(random.nextBoolean() ? "inst" : "jepsen/thing", depth >= DEPTH_MAX ? text() : value(depth + 1));
      default -> depth >= DEPTH_MAX ? null : (random.nextBoolean() ? set(depth) : new EdnList(list(depth)));
    };
  }

  private double randomDouble() {
    if (edn && random.nextInt(8) == 0) {
      double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0};
      return special[random.nextInt(special.length)];
    }
    return random.nextBoolean() ? random.nextDouble() * 1e6 - 5e5 : Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
  }

  private String text() {
    StringBuilder sb = new StringBuilder();
    int n = random.nextInt(8);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(10) == 0) {
        sb.append("\uD83D\uDE00");
      } else {
        sb.append(TEXT_CHARS.charAt(random.nextInt(TEXT_CHARS.length())));
      }
    }
    return sb.toString();
  }

  private List<Object> list(int depth) {
    List<Object> items = new ArrayList<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add(value(depth + 1));
    }
    return Collections.unmodifiableList(items);
  }

  private Set<Object> set(int depth) {
    Set<Object> items = new LinkedHashSet<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      items.add(value(depth + 1));
    }
    return Collections.unmodifiableSet(items);
  }

  private Map<Object, Object> map(int depth) {
    Map<Object, Object> map = new LinkedHashMap<>();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      Object key = edn ? value(DEPTH_MAX) : text();
      map.put(key, value(depth + 1));
    }
    return Collections.unmodifiableMap(map);
  }
}
