package dev.lockstep.nemesis.netns;

import java.util.List;

/**
 * Partitions with iptables rules inside the members' namespaces, as Jepsen cuts real networks: a
 * member drops the packets it receives from a peer. Two-way cuts drop in both members; one-way cuts
 * only in the receiver (TCP then stalls both ways: acks are packets too, as on a real network); an
 * isolated member drops everything from every other member, but not from the bridge: clients must
 * still reach an isolated old primary, or split-brain would go unseen.
 * {@link #heal} flushes the rules this class added in a member. Rules die with their namespace.
 */
public final class Partitions {
  private final Netns net;

  public Partitions(Netns net) {
    this.net = net;
  }

  /** Packets from {@code from} no longer reach {@code to}. */
  public void dropFrom(String to, String from) {
    Shell.run(net.inside(to, List.of("iptables", "-w", "-A", "INPUT", "-s", net.address(from), "-j", "DROP")));
  }

  /** {@code a} and {@code b} no longer reach each other. */
  public void cut(String a, String b) {
    dropFrom(a, b);
    dropFrom(b, a);
  }

  /** {@code member} and every other member no longer reach each other; clients still do. */
  public void isolate(String member) {
    for (String other : net.members()) {
      if (!other.equals(member)) {
        cut(member, other);
      }
    }
  }

  /** Removes every rule in {@code member}'s namespace. */
  public void heal(String member) {
    Shell.run(net.inside(member, List.of("iptables", "-w", "-F", "INPUT")));
  }

  /** Heals every member. */
  public void healAll() {
    net.members().forEach(this::heal);
  }

  /** The INPUT rules of a member, as iptables lists them ({@code -S}). */
  public List<String> rules(String member) {
    return List.of(Shell.run(net.inside(member, List.of("iptables", "-w", "-S", "INPUT"))).split("\n"));
  }
}
