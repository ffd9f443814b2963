package dev.lockstep.nemesis.netns;

import dev.lockstep.nemesis.NemesisException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's private network: a bridge {@code lsb<tag>} with address {@code 10.X.Y.1/24} in the host's
 * namespace (so the harness and its clients reach every member), and per member a namespace
 * {@code lockstep-<tag>-<member>} joined to the bridge by a veth pair, with address {@code 10.X.Y.(2+i)}
 * and a default route to the bridge. {@code X.Y} start from the tag's hash and skip subnets in use, so
 * parallel runs use distinct subnets. {@link #close} kills what still runs inside the namespaces and
 * removes all of it (also from a shutdown hook if the run is interrupted); removing a namespace removes
 * its veth and its iptables rules with it. While it exists, the network holds a lock file named for its
 * tag: {@link #sweepStale} removes the objects of networks whose owner died without closing them.
 */
public final class Netns implements AutoCloseable {
  /** Members a network holds at most (addresses .2 to .(1+MEMBERS_MAX)). */
  public static final int MEMBERS_MAX = 16;
  /** Longest tag: interface names are at most 15 bytes ({@code lsb} or {@code lsv}, tag, two digits). */
  public static final int TAG_CHARS_MAX = 8;

  /** Prefix of every namespace a network makes; what {@link #sweepStale} looks for. */
  public static final String NAMESPACE_PREFIX = "lockstep-";
  /** Where the owners' lock files live (a tmpfs, emptied at boot like the namespaces). */
  static final Path LOCK_DIR = Path.of("/run/lockstep-netns");
  private static final String BRIDGE_PREFIX = "lsb";
  private static final String VETH_PREFIX = "lsv";
  private static final int SUBNETS = 50 * 256;
  private static int tagsMade;

  private final String tag;
  private final String subnet;
  private final FileChannel lockFile;
  private final Map<String, Integer> members = new LinkedHashMap<>();
  private final Thread hook;
  /** Every process started inside the network, killed when it is removed. */
  private final List<Process> started = new ArrayList<>();
  private boolean removing;
  private boolean closed;

  private Netns(String tag, FileChannel lockFile) {
    this.tag = tag;
    this.lockFile = lockFile;
    this.subnet = freeSubnet(tag);
    this.hook = new Thread(this::remove, "netns-cleanup-" + tag);
  }

  /** A tag no other live process uses: this process's id and a counter, in base 36. */
  public static synchronized String freshTag() {
    return "r" + Long.toString(ProcessHandle.current().pid(), 36) + Integer.toString(tagsMade++ % 36, 36);
  }

  /** {@code 10.X.Y.} from the tag's hash, moved on past subnets an interface of the host already uses. */
  private static String freeSubnet(String tag) {
    String used = Shell.run(List.of("ip", "-o", "-4", "addr", "show"));
    int h = Math.floorMod(tag.hashCode(), SUBNETS);
    for (int i = 0; i < SUBNETS; i++) {
      int n = (h + i) % SUBNETS;
      String candidate = "10." + (200 + n / 256) + "." + (n % 256) + ".";
      if (!used.contains(" " + candidate)) {
        return candidate;
      }
    }
    throw new NemesisException("no free 10.200-249.*.0/24 subnet for a netns network");
  }

  /**
   * Creates the bridge and one namespace per member.
   *
   * @param tag short lowercase letters and digits naming this run's objects
   * @throws NemesisException if not root, a tool is missing, or a step fails (what was made is removed)
   */
  public static Netns create(String tag, List<String> members) {
    requireUsable();
    if (!tag.matches("[a-z0-9]{1," + TAG_CHARS_MAX + "}")) {
      throw new IllegalArgumentException("netns tag must be 1.." + TAG_CHARS_MAX + " of [a-z0-9], got '" + tag + "'");
    }
    if (members.isEmpty() || members.size() > MEMBERS_MAX) {
      throw new IllegalArgumentException("a netns network holds 1.." + MEMBERS_MAX + " members, got " + members.size());
    }
    Netns n = new Netns(tag, lock(tag));
    Runtime.getRuntime().addShutdownHook(n.hook);
    try {
      Shell.run(List.of("ip", "link", "add", n.bridge(), "type", "bridge"));
      Shell.run(List.of("ip", "addr", "add", n.subnet + "1/24", "dev", n.bridge()));
      Shell.run(List.of("ip", "link", "set", n.bridge(), "up"));
      for (String m : members) {
        n.add(m);
      }
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  /** Fails with one clear line unless this process can make namespaces and filters. */
  public static void requireUsable() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new NemesisException("--net netns needs root (network namespaces, veth pairs and iptables rules); run as root"
          + " or use the default proxy mode");
    }
    if (!Shell.has("ip")) {
      throw new NemesisException("--net netns needs the ip tool (Debian package iproute2)");
    }
    if (!Shell.has("iptables")) {
      throw new NemesisException("--net netns needs iptables (Debian package iptables; scripts/setup.sh installs it as root)");
    }
  }

  /** Holds the tag's lock file for the life of the network: a held lock marks a live owner. */
  private static FileChannel lock(String tag) {
    try {
      Files.createDirectories(LOCK_DIR);
      FileChannel ch = FileChannel.open(LOCK_DIR.resolve(tag + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (ch.tryLock() == null) {
        ch.close();
        throw new NemesisException("netns tag " + tag + " is in use by another live run");
      }
      return ch;
    } catch (IOException | OverlappingFileLockException e) {
      throw new NemesisException("cannot lock " + LOCK_DIR.resolve(tag + ".lock") + ": " + e.getMessage(), e);
    }
  }

  /** True if a live process holds the tag's lock file (this one included). */
  private static boolean owned(String tag) {
    Path file = LOCK_DIR.resolve(tag + ".lock");
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return true; // cannot tell: leave it alone
    }
  }

  /**
   * Removes the namespaces and bridges of networks whose owner died without closing them (a run killed
   * with SIGKILL): kills what still runs inside them, deletes them and the owner's lock file. Networks
   * of live owners are left alone.
   *
   * @return what was removed, one line each
   */
  public static List<String> sweepStale() {
    List<String> removed = new ArrayList<>();
    java.util.Set<String> tags = new java.util.TreeSet<>();
    for (String ns : namespaces()) {
      String rest = ns.substring(NAMESPACE_PREFIX.length());
      if (rest.indexOf('-') > 0) {
        tags.add(rest.substring(0, rest.indexOf('-')));
      }
    }
    for (String link : links()) {
      // A bridge alone counts only with its owner's lock file: the name prefix is short.
      String tag = link.substring(Math.min(link.length(), BRIDGE_PREFIX.length()));
      if (link.startsWith(BRIDGE_PREFIX) && Files.exists(LOCK_DIR.resolve(tag + ".lock"))) {
        tags.add(tag);
      }
    }
    for (String tag : tags) {
      if (!tag.matches("[a-z0-9]{1," + TAG_CHARS_MAX + "}") || owned(tag)) {
        continue;
      }
      for (String ns : namespaces()) {
        if (ns.startsWith(NAMESPACE_PREFIX + tag + "-")) {
          killInside(ns);
          Shell.quietly(List.of("ip", "netns", "del", ns));
          removed.add("netns " + ns);
        }
      }
      // TRICKY: a deleted namespace lives on while a socket in it still retransmits, and its veth with
      // it; deleting the host end removes the pair at once.
      for (String link : links()) {
        if (link.equals(BRIDGE_PREFIX + tag) || link.startsWith(VETH_PREFIX + tag)) {
          Shell.quietly(List.of("ip", "link", "del", link));
          removed.add("link " + link);
        }
      }
      try {
        Files.deleteIfExists(LOCK_DIR.resolve(tag + ".lock"));
      } catch (IOException e) {
        // a lock file left behind holds nothing
      }
    }
    return removed;
  }

  /** SIGKILL to every process inside a namespace: it lives on, with its rules, while one runs there. */
  private static void killInside(String ns) {
    String pids;
    try {
      pids = Shell.run(List.of("ip", "netns", "pids", ns));
    } catch (NemesisException e) {
      return;
    }
    for (String pid : pids.split("\\s+")) {
      if (pid.matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static List<String> namespaces() {
    List<String> out = new ArrayList<>();
    for (String line : Shell.run(List.of("ip", "netns", "list")).split("\n")) {
      if (line.startsWith(NAMESPACE_PREFIX)) {
        out.add(line.split(" ")[0]);
      }
    }
    return out;
  }

  private static List<String> links() {
    List<String> out = new ArrayList<>();
    for (String line : Shell.run(List.of("ip", "-o", "link", "show")).split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        out.add(parts[1].split("@")[0]);
      }
    }
    return out;
  }

  private void add(String member) {
    int index = members.size();
    String ns = namespace(member);
    String host = VETH_PREFIX + tag + index;
    String peer = "lsp" + tag + index;
    members.put(member, index);
    Shell.run(List.of("ip", "netns", "add", ns));
    Shell.run(List.of("ip", "link", "add", host, "type", "veth", "peer", "name", peer));
    Shell.run(List.of("ip", "link", "set", host, "master", bridge()));
    Shell.run(List.of("ip", "link", "set", host, "up"));
    Shell.run(List.of("ip", "link", "set", peer, "netns", ns));
    Shell.run(inside(member, List.of("ip", "link", "set", "lo", "up")));
    Shell.run(inside(member, List.of("ip", "addr", "add", address(member) + "/24", "dev", peer)));
    Shell.run(inside(member, List.of("ip", "link", "set", peer, "up")));
    Shell.run(inside(member, List.of("ip", "route", "add", "default", "via", subnet + "1")));
  }

  public String tag() {
    return tag;
  }

  public List<String> members() {
    return List.copyOf(members.keySet());
  }

  /** The host's address on the bridge: where clients and the harness come from. */
  public String hostAddress() {
    return subnet + "1";
  }

  /** The member's own address. */
  public String address(String member) {
    Integer i = members.get(member);
    if (i == null) {
      throw new IllegalArgumentException("no member '" + member + "' in netns network " + tag + "; members: " + members.keySet());
    }
    return subnet + (2 + i);
  }

  /** The namespace of a member. */
  public String namespace(String member) {
    return NAMESPACE_PREFIX + tag + "-" + member;
  }

  /**
   * Starts {@code builder}'s command inside the member's namespace. Refused once the network is being
   * removed, so a run interrupted while it starts a process leaves no process behind.
   *
   * @throws NemesisException if the network is being removed
   */
  public synchronized Process start(String member, ProcessBuilder builder) throws IOException {
    if (removing) {
      throw new NemesisException("netns network " + tag + " is being removed; not starting " + builder.command().get(0));
    }
    builder.command(inside(member, builder.command()));
    Process p = builder.start();
    started.add(p);
    return p;
  }

  /** {@code command} prefixed to run inside the member's namespace ({@code ip netns exec} execs it: same pid). */
  public List<String> inside(String member, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(member)));
    full.addAll(command);
    return full;
  }

  String bridge() {
    return BRIDGE_PREFIX + tag;
  }

  /** Removes every namespace and the bridge; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    remove();
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private synchronized void remove() {
    removing = true;
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (String m : members.keySet()) {
      killInside(namespace(m));
      Shell.quietly(List.of("ip", "netns", "del", namespace(m)));
      Shell.quietly(List.of("ip", "link", "del", VETH_PREFIX + tag + members.get(m)));
    }
    Shell.quietly(List.of("ip", "link", "del", bridge()));
    try {
      lockFile.close();
      Files.deleteIfExists(LOCK_DIR.resolve(tag + ".lock"));
    } catch (IOException e) {
      // a lock file left behind holds nothing
    }
  }

  /** Namespaces and links named for {@code tag} that exist now: empty once a network is closed. */
  public static List<String> leftovers(String tag) {
    List<String> left = new ArrayList<>();
    for (String ns : namespaces()) {
      if (ns.startsWith(NAMESPACE_PREFIX + tag + "-")) {
        left.add("netns " + ns);
      }
    }
    for (String name : links()) {
      if (name.equals(BRIDGE_PREFIX + tag) || name.startsWith(VETH_PREFIX + tag) || name.startsWith("lsp" + tag)) {
        left.add("link " + name);
      }
    }
    return left;
  }
}
