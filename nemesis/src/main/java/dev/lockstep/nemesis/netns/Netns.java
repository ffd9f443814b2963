package dev.lockstep.nemesis.netns;

import dev.lockstep.nemesis.NemesisException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's private network: a bridge {@code lsb<tag>} with address {@code 10.X.Y.1/24} in the host's
 * namespace (so the harness and its clients reach every member), and per member a namespace
 * {@code ls-<tag>-<member>} joined to the bridge by a veth pair, with address {@code 10.X.Y.(2+i)} and
 * a default route to the bridge. {@code X.Y} come from the tag, so parallel runs use distinct subnets.
 * {@link #close} removes all of it (also from a shutdown hook if the run is interrupted); removing a
 * namespace removes its veth and its iptables rules with it.
 */
public final class Netns implements AutoCloseable {
  /** Members a network holds at most (addresses .2 to .(1+MEMBERS_MAX)). */
  public static final int MEMBERS_MAX = 16;
  /** Longest tag: interface names are at most 15 bytes ({@code lsb} or {@code lsv}, tag, two digits). */
  public static final int TAG_CHARS_MAX = 8;

  private final String tag;
  private final String subnet;
  private final Map<String, Integer> members = new LinkedHashMap<>();
  private final Thread hook;
  private boolean closed;

  private Netns(String tag) {
    this.tag = tag;
    int h = Math.floorMod(tag.hashCode(), 50 * 256);
    this.subnet = "10." + (200 + h / 256) + "." + (h % 256) + ".";
    this.hook = new Thread(this::remove, "netns-cleanup-" + tag);
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
    Netns n = new Netns(tag);
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

  private void add(String member) {
    int index = members.size();
    String ns = namespace(member);
    String host = "lsv" + tag + index;
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
    return "ls-" + tag + "-" + member;
  }

  /** {@code command} prefixed to run inside the member's namespace ({@code ip netns exec} execs it: same pid). */
  public List<String> inside(String member, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(member)));
    full.addAll(command);
    return full;
  }

  String bridge() {
    return "lsb" + tag;
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

  private void remove() {
    for (String m : members.keySet()) {
      Shell.quietly(List.of("ip", "netns", "del", namespace(m)));
      Shell.quietly(List.of("ip", "link", "del", "lsv" + tag + members.get(m)));
    }
    Shell.quietly(List.of("ip", "link", "del", bridge()));
  }

  /** Namespaces and links named for {@code tag} that exist now: empty once a network is closed. */
  public static List<String> leftovers(String tag) {
    List<String> left = new ArrayList<>();
    for (String line : Shell.run(List.of("ip", "netns", "list")).split("\n")) {
      if (line.startsWith("ls-" + tag + "-")) {
        left.add("netns " + line.split(" ")[0]);
      }
    }
    for (String line : Shell.run(List.of("ip", "-o", "link", "show")).split("\n")) {
      String[] parts = line.split(":\\s+");
      if (parts.length > 1) {
        String name = parts[1].split("@")[0];
        if (name.equals("lsb" + tag) || name.startsWith("lsv" + tag) || name.startsWith("lsp" + tag)) {
          left.add("link " + name);
        }
      }
    }
    return left;
  }
}
