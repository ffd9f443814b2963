package dev.lockstep.histories;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list of ops with no null element, held in chunks of at most {@link #CHUNK_OPS}
 * references.
 *
 * <p>TRICKY: one reference array for a whole history is a humongous object for G1 (half a region
 * or more). Until a concurrent mark, such an array lives on after it became garbage, and every
 * young collection treats it as a root: the ops it points to are copied again and again although
 * no one uses them. Chunks below half a region die with the young generation instead.
 */
public final class OpList extends AbstractList<Op> implements RandomAccess {
  /** References per chunk: 128 KiB with compressed pointers, well under half of any G1 region. */
  static final int CHUNK_OPS = 1 << 15;
  private static final int SHIFT = Integer.numberOfTrailingZeros(CHUNK_OPS);
  private static final OpList EMPTY = new OpList(new Op[0][], 0);

  private final Op[][] chunks;
  private final int size;

  private OpList(Op[][] chunks, int size) {
    this.chunks = chunks;
    this.size = size;
  }

  /** {@code ops} itself when it is an {@code OpList}, else an {@code OpList} of its ops in order. */
  public static OpList copyOf(Collection<? extends Op> ops) {
    if (ops instanceof OpList list) {
      return list;
    }
    return new Builder(ops.size()).addAll(ops).build();
  }

  /** The ops of {@code parts}, one after another. */
  public static OpList concat(List<? extends List<? extends Op>> parts) {
    int total = 0;
    for (List<? extends Op> part : parts) {
      total += part.size();
    }
    Builder builder = new Builder(total);
    for (List<? extends Op> part : parts) {
      builder.addAll(part);
    }
    return builder.build();
  }

  @Override
  public Op get(int index) {
    Objects.checkIndex(index, size);
    return chunks[index >>> SHIFT][index & (CHUNK_OPS - 1)];
  }

  @Override
  public int size() {
    return size;
  }

  /** Collects ops into an {@link OpList}; for one list only. */
  public static final class Builder {
    private Op[][] chunks;
    private int size;

    /** A builder for about {@code expected} ops (more are fine). */
    public Builder(int expected) {
      chunks = new Op[Math.max(1, (Math.max(0, expected) + CHUNK_OPS - 1) >>> SHIFT)][];
    }

    /** Appends {@code op}; throws NullPointerException for null. */
    public Builder add(Op op) {
      Objects.requireNonNull(op, "op");
      int c = size >>> SHIFT;
      if (c == chunks.length) {
        chunks = Arrays.copyOf(chunks, c * 2);
      }
      if (chunks[c] == null) {
        chunks[c] = new Op[CHUNK_OPS];
      }
      chunks[c][size & (CHUNK_OPS - 1)] = op;
      size++;
      return this;
    }

    /** Appends the ops of {@code ops} in order; throws NullPointerException if one is null. */
    public Builder addAll(Collection<? extends Op> ops) {
      // TRICKY: copied a chunk's worth at a time, as reading a history concatenates its parts on one thread.
      Object[] items = ops.toArray();
      for (Object item : items) {
        Objects.requireNonNull(item, "op");
      }
      int from = 0;
      while (from < items.length) {
        int c = size >>> SHIFT;
        if (c == chunks.length) {
          chunks = Arrays.copyOf(chunks, c * 2);
        }
        if (chunks[c] == null) {
          chunks[c] = new Op[CHUNK_OPS];
        }
        int at = size & (CHUNK_OPS - 1);
        int n = Math.min(items.length - from, CHUNK_OPS - at);
        System.arraycopy(items, from, chunks[c], at, n);
        from += n;
        size += n;
      }
      return this;
    }

    /** The list of the ops added so far; the last chunk is trimmed. */
    public OpList build() {
      if (size == 0) {
        return EMPTY;
      }
      int used = ((size - 1) >>> SHIFT) + 1;
      Op[][] out = Arrays.copyOf(chunks, used);
      int last = size - ((used - 1) << SHIFT);
      out[used - 1] = Arrays.copyOf(out[used - 1], last);
      return new OpList(out, size);
    }
  }
}
