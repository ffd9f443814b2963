package dev.lockstep.harness.generator;

import java.util.List;
import java.util.Objects;

/**
 * One operation a generator asks a process to invoke, in Jepsen's terms: a function name {@code f}, a
 * value ({@code null} for reads, an integer for writes and appends, a two-element list
 * {@code [expected, new]} for a cas) and, for multi-key workloads, the key ({@code null} otherwise).
 */
public record Invocation(String f, Object value, Integer key) {

  public static final String READ = "read";
  public static final String WRITE = "write";
  public static final String CAS = "cas";
  public static final String APPEND = "append";

  public Invocation {
    Objects.requireNonNull(f, "f");
    if (value instanceof List<?> list) {
      value = List.copyOf(list);
    }
  }

  public static Invocation read(Integer key) {
    return new Invocation(READ, null, key);
  }

  public static Invocation write(Integer key, int value) {
    return new Invocation(WRITE, value, key);
  }

  public static Invocation cas(Integer key, int expected, int replacement) {
    return new Invocation(CAS, List.of(expected, replacement), key);
  }

  public static Invocation append(Integer key, int element) {
    return new Invocation(APPEND, element, key);
  }
}
