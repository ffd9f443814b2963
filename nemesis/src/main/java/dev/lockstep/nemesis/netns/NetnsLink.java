package dev.lockstep.nemesis.netns;

import dev.lockstep.nemesis.LinkFaults;
import dev.lockstep.nemesis.NemesisException;
import dev.lockstep.nemesis.proxy.Direction;
import dev.lockstep.nemesis.proxy.Fault;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One TCP link of a netns network, from a member (or the host, for clients) to a server member's
 * port, faulted by iptables rules in the server's namespace, as Jepsen cuts real networks: upstream
 * rules match packets arriving at the port (INPUT), downstream rules packets leaving it (OUTPUT). A cut
 * drops the packets; a reset answers them with a TCP RST, so both ends see their connection reset and
 * new connections refused. One-way cuts act on real packets: TCP acknowledgements travel the other
 * way, so data sent across the open direction still arrives, but its sender never learns it did.
 * Delays, throttles, drops inside a stream and flaky links need a proxy (or netem, which this kernel
 * lacks): {@link #supports} says no and {@link #set} refuses them. Thread-safe.
 */
public final class NetnsLink implements LinkFaults {
  private final Netns net;
  private final String name;
  private final String fromAddress;
  private final String server;
  private final int port;
  private final Map<Direction, Fault> faults = new EnumMap<>(Direction.class);

  /**
   * @param from the connecting member, or null for the host (the clients and the harness)
   * @param server the member that listens on {@code port}
   */
  public NetnsLink(Netns net, String name, String from, String server, int port) {
    this.net = net;
    this.name = name;
    this.fromAddress = from == null ? net.hostAddress() : net.address(from);
    this.server = server;
    this.port = port;
    for (Direction d : Direction.values()) {
      faults.put(d, Fault.pass());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized Fault fault(Direction direction) {
    return faults.get(direction);
  }

  @Override
  public boolean supports(Fault fault) {
    return fault instanceof Fault.Pass || fault instanceof Fault.Cut || fault instanceof Fault.Reset;
  }

  @Override
  public synchronized void set(Direction direction, Fault fault) {
    if (!supports(fault)) {
      throw new NemesisException(name + ": --net netns cannot make " + kind(fault)
          + " (it needs the fault proxy, or netem, which this kernel lacks); use --net proxy");
    }
    Fault old = faults.get(direction);
    if (old.equals(fault)) {
      return;
    }
    if (!(old instanceof Fault.Pass)) {
      delete(direction, old);
    }
    if (!(fault instanceof Fault.Pass)) {
      Shell.run(net.inside(server, rule("-A", direction, fault)));
    }
    faults.put(direction, fault);
  }

  /** Deletes a rule; one already gone (a command that ended badly after it had acted) counts as deleted. */
  private void delete(Direction direction, Fault fault) {
    try {
      Shell.run(net.inside(server, rule("-D", direction, fault)));
    } catch (NemesisException e) {
      try {
        Shell.run(net.inside(server, rule("-C", direction, fault)));
      } catch (NemesisException absent) {
        return;
      }
      throw e;
    }
  }

  /** The iptables rules in force on this link, as {@code iptables -S} would list them (for the nemesis log). */
  public synchronized List<String> rules() {
    List<String> out = new ArrayList<>();
    for (Direction d : Direction.values()) {
      if (!(faults.get(d) instanceof Fault.Pass)) {
        List<String> r = rule("-A", d, faults.get(d));
        out.add(server + ": " + String.join(" ", r.subList(2, r.size())));
      }
    }
    return out;
  }

  private List<String> rule(String action, Direction direction, Fault fault) {
    List<String> r = new ArrayList<>(List.of("iptables", "-w"));
    if (direction == Direction.UPSTREAM) {
      r.addAll(List.of(action, "INPUT", "-s", fromAddress, "-p", "tcp", "--dport", Integer.toString(port)));
    } else {
      r.addAll(List.of(action, "OUTPUT", "-d", fromAddress, "-p", "tcp", "--sport", Integer.toString(port)));
    }
    if (fault instanceof Fault.Reset) {
      r.addAll(List.of("-j", "REJECT", "--reject-with", "tcp-reset"));
    } else {
      r.addAll(List.of("-j", "DROP"));
    }
    return r;
  }

  private static String kind(Fault fault) {
    return fault.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " faults";
  }

  @Override
  public String toString() {
    return "NetnsLink[" + name + " " + fromAddress + " -> " + server + ":" + port + "]";
  }
}
