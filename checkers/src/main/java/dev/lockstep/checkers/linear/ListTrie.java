package dev.lockstep.checkers.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The states of a list-append key: every list the search reaches is a node of a trie of element
 * ids, so a state is one int and appending is a child lookup. Node 0 is the empty list.
 */
final class ListTrie {
  private static final int INITIAL_NODES = 64;
  private static final long BYTES_PER_NODE = 64;

  private final Budget budget;
  private final Map<Long, Integer> children = new HashMap<>();
  private int[] parent = new int[INITIAL_NODES];
  private int[] element = new int[INITIAL_NODES];
  private int nodes = 1;

  ListTrie(Budget budget) {
    this.budget = budget;
    parent[0] = -1;
  }

  /** The node of {@code list} with one more element {@code elem}, made on first use. */
  int child(int list, int elem) {
    long edge = ((long) list << 32) | (elem & 0xffffffffL);
    Integer found = children.get(edge);
    if (found != null) {
      return found;
    }
    if (budget != null) {
      budget.reserve(BYTES_PER_NODE);
    }
    if (nodes == parent.length) {
      parent = Arrays.copyOf(parent, nodes * 2);
      element = Arrays.copyOf(element, nodes * 2);
    }
    parent[nodes] = list;
    element[nodes] = elem;
    children.put(edge, nodes);
    return nodes++;
  }

  /** The element ids of a node's list, first appended first. */
  List<Integer> elements(int node) {
    List<Integer> out = new ArrayList<>();
    for (int n = node; n > 0; n = parent[n]) {
      out.add(0, element[n]);
    }
    return out;
  }
}
