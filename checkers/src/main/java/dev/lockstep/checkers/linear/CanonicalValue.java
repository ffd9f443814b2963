package dev.lockstep.checkers.linear;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Values as every model compares them: numbers by value, whatever their spelling, so {@code 1},
 * {@code 1.0}, {@code 1N} and {@code 1.0M} are one value; a whole number becomes a {@link Long}
 * (a {@link BigInteger} past its range), any other a {@link BigDecimal} without trailing zeros.
 * Lists are compared element by element; everything else by {@link Object#equals}.
 */
final class CanonicalValue {
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private CanonicalValue() {}

  /** {@code v} in its canonical form; the same object when it already is. */
  static Object of(Object v) {
    if (v == null || v instanceof Long || v instanceof String) {
      return v;
    }
    if (v instanceof Number n) {
      return number(n);
    }
    if (v instanceof List<?> list) {
      return list(list);
    }
    return v;
  }

  private static Object list(List<?> list) {
    List<Object> out = null;
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      Object c = of(e);
      if (c != e && out == null) {
        out = new ArrayList<>(list.subList(0, i));
      }
      if (out != null) {
        out.add(c);
      }
    }
    return out == null ? list : out;
  }

  private static Object number(Number n) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    if (n instanceof BigInteger b) {
      return whole(b);
    }
    BigDecimal d;
    if (n instanceof BigDecimal big) {
      d = big;
    } else {
      double x = n.doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        return x;
      }
      d = new BigDecimal(Double.toString(x));
    }
    d = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    return d.scale() <= 0 ? whole(d.toBigIntegerExact()) : d;
  }

  private static Object whole(BigInteger b) {
    return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0 ? (Object) b.longValue() : b;
  }
}
