package dev.lockstep.ftvm.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated ZooKeeper's data tree: znodes with data, a data version, a child version, an ephemeral
 * owner and a container flag, and multi-op transactions that apply all their operations or none, with
 * ZooKeeper's error for the first that fails. Paths sort in a {@link TreeMap}, so every walk over the
 * tree has one order.
 */
final class Znodes {

  /** One znode. Immutable: a transaction builds new ones, so a failed one leaves nothing behind. */
  record Znode(byte[] data, int version, long ephemeralOwner, boolean container, int cversion) {
    boolean ephemeral() {
      return ephemeralOwner != 0;
    }
  }

  /** ZooKeeper's error codes for what the twin's callers can get wrong. */
  enum Code { NO_NODE, NODE_EXISTS, BAD_VERSION, NOT_EMPTY }

  /** An operation failed; in a transaction, nothing of it was applied. */
  static final class ZnodeException extends Exception {
    final Code code;
    final String path;

    ZnodeException(Code code, String path) {
      super(code + " " + path);
      this.code = code;
      this.path = path;
    }
  }

  /** One operation of a transaction; {@code version} -1 matches any version, as in ZooKeeper. */
  sealed interface Op {
    String path();
  }

  record Check(String path, int version) implements Op {}

  record Create(String path, byte[] data, long ephemeralOwner, boolean container) implements Op {}

  record Delete(String path, int version) implements Op {}

  record SetData(String path, byte[] data, int version) implements Op {}

  static final int ANY_VERSION = -1;
  private static final String ROOT = "/";

  private TreeMap<String, Znode> nodes = new TreeMap<>();

  Znodes() {
    nodes.put(ROOT, new Znode(new byte[0], 0, 0, false, 0));
  }

  /** The znode at {@code path}, or null. */
  Znode get(String path) {
    return nodes.get(path);
  }

  /** Applies {@code ops} atomically; returns the paths they touched, in order. */
  List<String> multi(List<? extends Op> ops) throws ZnodeException {
    TreeMap<String, Znode> next = new TreeMap<>(nodes);
    List<String> touched = new ArrayList<>();
    for (Op op : ops) {
      apply(next, op);
      touched.add(op.path());
    }
    nodes = next;
    return touched;
  }

  /** Deletes every ephemeral znode of {@code session}; returns their paths, in order. */
  List<String> deleteEphemerals(long session) {
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, Znode> e : nodes.entrySet()) {
      if (e.getValue().ephemeralOwner() == session) {
        gone.add(e.getKey());
      }
    }
    for (String path : gone) {
      removeChild(nodes, path);
    }
    return gone;
  }

  /**
   * Containers that once had children and now have none, as ZooKeeper's container manager finds them on
   * one pass (deepest first, so a parent emptied by the pass waits for the next one).
   */
  List<String> emptyContainers() {
    List<String> empty = new ArrayList<>();
    for (Map.Entry<String, Znode> e : nodes.descendingMap().entrySet()) {
      Znode z = e.getValue();
      if (z.container() && z.cversion() > 0 && !hasChildren(nodes, e.getKey())) {
        empty.add(e.getKey());
      }
    }
    return empty;
  }

  /** Deletes a znode outside any transaction (the container manager's delete). */
  void delete(String path) throws ZnodeException {
    apply(nodes, new Delete(path, ANY_VERSION));
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? ROOT : path.substring(0, slash);
  }

  private static void apply(TreeMap<String, Znode> t, Op op) throws ZnodeException {
    Znode z = t.get(op.path());
    if (op instanceof Check c) {
      requireVersion(z, c.path(), c.version());
    } else if (op instanceof Create c) {
      create(t, z, c);
    } else if (op instanceof Delete d) {
      requireVersion(z, d.path(), d.version());
      if (hasChildren(t, d.path())) {
        throw new ZnodeException(Code.NOT_EMPTY, d.path());
      }
      removeChild(t, d.path());
    } else if (op instanceof SetData sd) {
      requireVersion(z, sd.path(), sd.version());
      t.put(sd.path(), new Znode(sd.data().clone(), z.version() + 1, z.ephemeralOwner(), z.container(), z.cversion()));
    } else {
      throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static void create(TreeMap<String, Znode> t, Znode existing, Create c) throws ZnodeException {
    if (existing != null) {
      throw new ZnodeException(Code.NODE_EXISTS, c.path());
    }
    Znode parent = t.get(parent(c.path()));
    if (parent == null || parent.ephemeral()) {
      throw new ZnodeException(Code.NO_NODE, parent(c.path()));
    }
    t.put(c.path(), new Znode(c.data().clone(), 0, c.ephemeralOwner(), c.container(), 0));
    bumpChildren(t, parent(c.path()));
  }

  private static void requireVersion(Znode z, String path, int version) throws ZnodeException {
    if (z == null) {
      throw new ZnodeException(Code.NO_NODE, path);
    }
    if (version != ANY_VERSION && version != z.version()) {
      throw new ZnodeException(Code.BAD_VERSION, path);
    }
  }

  private static void removeChild(TreeMap<String, Znode> t, String path) {
    t.remove(path);
    bumpChildren(t, parent(path));
  }

  private static void bumpChildren(TreeMap<String, Znode> t, String path) {
    Znode p = t.get(path);
    if (p != null) {
      t.put(path, new Znode(p.data(), p.version(), p.ephemeralOwner(), p.container(), p.cversion() + 1));
    }
  }

  private static boolean hasChildren(TreeMap<String, Znode> t, String path) {
    if (path.equals(ROOT)) {
      return t.size() > 1;
    }
    String first = t.ceilingKey(path + "/");
    return first != null && first.startsWith(path + "/");
  }
}
