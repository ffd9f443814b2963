package dev.lockstep.checkers.linear;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The sequential specifications a history can be checked against, as Knossos names them. Keyed
 * models are checked one key at a time (P-compositionality); a key comes from an op's {@code key}
 * or from Jepsen's independent {@code [k v]} tuple.
 */
public enum Model {
  REGISTER("register", false, EnumSet.of(OpKind.READ, OpKind.WRITE)),
  CAS_REGISTER("cas-register", false, EnumSet.of(OpKind.READ, OpKind.WRITE, OpKind.CAS)),
  KV("kv", true, EnumSet.of(OpKind.READ, OpKind.WRITE, OpKind.CAS)),
  MUTEX("mutex", false, EnumSet.of(OpKind.ACQUIRE, OpKind.RELEASE)),
  LIST_APPEND("list-append", true, EnumSet.of(OpKind.READ, OpKind.APPEND)),
  /** Knossos's multi-register: atomic {@code txn}s of reads and writes over several keys, one state. */
  MULTI_REGISTER("multi-register", false, EnumSet.of(OpKind.TXN)),
  /** Porcupine's kv: get, put and append (string concatenation) on string values per key, "" at first. */
  PORCUPINE_KV("porcupine-kv", true, EnumSet.of(OpKind.READ, OpKind.WRITE, OpKind.APPEND));

  private final String label;
  private final boolean keyed;
  private final Set<OpKind> kinds;

  Model(String label, boolean keyed, Set<OpKind> kinds) {
    this.label = label;
    this.keyed = keyed;
    this.kinds = kinds;
  }

  public String label() {
    return label;
  }

  /** Whether ops without a {@code key} field carry their key as an independent {@code [k v]} tuple. */
  public boolean keyed() {
    return keyed;
  }

  boolean supports(OpKind kind) {
    return kinds.contains(kind);
  }

  /**
   * Whether the search makes its states as it goes (lists, strings, maps of registers), so the
   * pruning that needs every state known up front is off.
   */
  boolean madeStates() {
    return this == LIST_APPEND || this == MULTI_REGISTER || this == PORCUPINE_KV;
  }

  /** The model named {@code name}. */
  public static Model parse(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (Model m : values()) {
      if (m.label.equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "' (expected register, cas-register, kv, mutex, list-append, multi-register, porcupine-kv)");
  }
}
