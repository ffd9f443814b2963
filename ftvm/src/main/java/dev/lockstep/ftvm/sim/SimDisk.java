package dev.lockstep.ftvm.sim;

import dev.lockstep.ftvm.node.BlockDisk;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The disk twin: sectors in memory that outlive the processes using them (a node's disk survives its
 * crash; a shared disk serves whichever node is live). A request takes effect when it is submitted;
 * its completion reaches the submitting process after a latency drawn from the world's seed, so a
 * process that crashes meanwhile never hears of it, and one that is paused hears of it late.
 */
public final class SimDisk {

  private final byte[] content;
  private final long sectors;
  private final SplittableRandom random;
  private final long latencyNanosMin;
  private final long latencyNanosMax;
  private long requests;

  public SimDisk(Sim sim, long sectors, long latencyNanosMin, long latencyNanosMax) {
    if (sectors <= 0 || sectors * BlockDisk.SECTOR_BYTES > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("disk sectors out of range: " + sectors);
    }
    if (latencyNanosMin < 0 || latencyNanosMax < latencyNanosMin) {
      throw new IllegalArgumentException("disk latency range " + latencyNanosMin + ".." + latencyNanosMax);
    }
    this.content = new byte[(int) (sectors * BlockDisk.SECTOR_BYTES)];
    this.sectors = sectors;
    this.random = sim.random().split();
    this.latencyNanosMin = latencyNanosMin;
    this.latencyNanosMax = latencyNanosMax;
  }

  /** The disk as {@code proc} sees it: completions are that process's tasks. */
  public BlockDisk on(SimProcess proc) {
    return new BlockDisk() {
      @Override
      public long sectors() {
        return sectors;
      }

      @Override
      public void submit(byte[] start, Consumer<byte[]> done) {
        byte[] result = execute(start);
        proc.after(latency(), () -> done.accept(result));
      }

      @Override
      public byte[] readAll() {
        return content.clone();
      }

      @Override
      public void writeAll(byte[] copy) {
        Arrays.fill(content, (byte) 0);
        System.arraycopy(copy, 0, content, 0, Math.min(copy.length, content.length));
      }
    };
  }

  /** Requests executed so far. */
  public long requests() {
    return requests;
  }

  /** A copy of the whole disk. */
  public byte[] content() {
    return content.clone();
  }

  private long latency() {
    return latencyNanosMin == latencyNanosMax ? latencyNanosMin
        : latencyNanosMin + random.nextLong(latencyNanosMax - latencyNanosMin + 1);
  }

  private byte[] execute(byte[] start) {
    requests++;
    BlockDisk.Request r = BlockDisk.Request.parse(start, sectors);
    if (r == null) {
      return new byte[] {BlockDisk.STATUS_ERROR};
    }
    int at = (int) r.offset();
    if (r.write()) {
      System.arraycopy(start, 9, content, at, r.bytes());
      return new byte[] {BlockDisk.STATUS_DONE};
    }
    byte[] out = new byte[1 + r.bytes()];
    out[0] = BlockDisk.STATUS_DONE;
    System.arraycopy(content, at, out, 1, r.bytes());
    return out;
  }
}
