package dev.lockstep.histories;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * An EDN list {@code (1 2 3)}, as opposed to a vector {@code [1 2 3]}; an unmodifiable list that
 * may hold nulls. It equals any {@link List} with the same elements, as Clojure's seqs equal
 * vectors; only the EDN writer tells it apart, writing it back with parentheses.
 */
public final class EdnList extends AbstractList<Object> implements RandomAccess {
  private final List<Object> items;

  public EdnList(List<?> items) {
    this.items = Collections.unmodifiableList(new ArrayList<>(items));
  }

  public static EdnList of(Object... items) {
    return new EdnList(java.util.Arrays.asList(items));
  }

  @Override
  public Object get(int index) {
    return items.get(index);
  }

  @Override
  public int size() {
    return items.size();
  }
}
