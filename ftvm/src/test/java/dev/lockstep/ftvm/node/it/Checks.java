package dev.lockstep.ftvm.node.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks over the event logs of every node of a run. */
final class Checks {

  private Checks() {}

  /** Released outputs answering the same request must be byte-identical, whichever node sent them. */
  static List<String> differingReplies(List<NodeProcess> nodes) {
    Map<String, String> hashOf = new HashMap<>();
    List<String> bad = new ArrayList<>();
    for (NodeProcess n : nodes) {
      for (JsonNode j : FtCluster.lines(n.events())) {
        if (!"output".equals(j.path("type").asText())) {
          continue;
        }
        String req = j.path("clientId").asLong() + "/" + j.path("reqSeq").asLong();
        String h = j.path("bytesHash").asText();
        String prev = hashOf.putIfAbsent(req, h);
        if (prev != null && !prev.equals(h)) {
          bad.add("request " + req + ": " + prev + " vs " + h + " (" + n.id + ")");
        }
      }
    }
    return bad;
  }

  /**
   * State hashes two nodes logged at the same icount of the same epoch must be equal (an old
   * primary running on past a failover is on another branch); returns the mismatches.
   */
  static List<String> divergences(List<NodeProcess> nodes) {
    Map<String, String> hashAt = new HashMap<>();
    List<String> bad = new ArrayList<>();
    for (NodeProcess n : nodes) {
      for (JsonNode j : FtCluster.lines(n.events())) {
        if ("state-hash".equals(j.path("type").asText())) {
          String prev = hashAt.putIfAbsent(j.path("epoch").asLong(-1) + "@" + j.path("icount").asLong(), j.path("hash").asText());
          if (prev != null && !prev.equals(j.path("hash").asText())) {
            bad.add("icount " + j.path("icount").asLong() + ": " + prev + " vs " + j.path("hash").asText() + " (" + n.id + ")");
          }
        }
      }
    }
    return bad;
  }

  /** How many icounts at least two nodes hashed (so a divergence check compared something). */
  static long comparedHashes(List<NodeProcess> nodes) {
    Map<Long, Integer> seen = new HashMap<>();
    for (NodeProcess n : nodes) {
      FtCluster.lines(n.events()).stream()
          .filter(j -> "state-hash".equals(j.path("type").asText()))
          .map(j -> j.path("icount").asLong())
          .distinct()
          .forEach(ic -> seen.merge(ic, 1, Integer::sum));
    }
    return seen.values().stream().filter(c -> c >= 2).count();
  }

  /** Outputs {@code n} released after {@code wallNanos} (Unix ns). */
  static long outputsAfter(NodeProcess n, long wallNanos) {
    return FtCluster.lines(n.events()).stream()
        .filter(j -> "output".equals(j.path("type").asText()) && j.path("time").asLong() > wallNanos)
        .count();
  }

  /**
   * Outputs {@code loser} released after {@code wallNanos} that {@code winner} never produced itself
   * (released or suppressed as backup): outputs the winner could not vouch for.
   */
  static List<String> outputsUnknownTo(NodeProcess loser, NodeProcess winner, long wallNanos) {
    java.util.Set<String> known = new java.util.HashSet<>();
    for (JsonNode j : FtCluster.lines(winner.events())) {
      if ("output".equals(j.path("type").asText())) {
        known.add(key(j));
      }
    }
    for (JsonNode j : FtCluster.lines(winner.notes())) {
      if ("suppressed-output".equals(j.path("type").asText())) {
        known.add(key(j));
      }
    }
    List<String> unknown = new ArrayList<>();
    for (JsonNode j : FtCluster.lines(loser.events())) {
      if ("output".equals(j.path("type").asText()) && j.path("time").asLong() > wallNanos && !known.contains(key(j))) {
        unknown.add(key(j));
      }
    }
    return unknown;
  }

  private static String key(JsonNode j) {
    return j.path("clientId").asLong() + "/" + j.path("reqSeq").asLong() + "/" + j.path("bytesHash").asText();
  }

  /** Go-live results "won" for {@code epoch} across nodes. */
  static long winners(List<NodeProcess> nodes, long epoch) {
    long w = 0;
    for (NodeProcess n : nodes) {
      w += FtCluster.lines(n.events()).stream()
          .filter(j -> "golive".equals(j.path("type").asText()) && "won".equals(j.path("result").asText())
              && j.path("epoch").asLong() == epoch)
          .count();
    }
    return w;
  }
}
