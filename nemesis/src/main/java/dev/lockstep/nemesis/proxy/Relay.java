package dev.lockstep.nemesis.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One direction of one proxied connection: bytes read from the source wait in a queue with a
 * release time computed from the direction's fault, and are written to the sink in order once due
 * and not cut. Runs on the connection's event loop only.
 */
final class Relay {
  /** A throttled chunk is cut into slices worth about this fraction of a second, for a smooth rate. */
  static final int THROTTLE_SLICES_PER_SECOND = 20;
  /** Lower bound of a throttle slice, so tiny rates do not make one-byte writes. */
  static final int THROTTLE_SLICE_BYTES_MIN = 64;

  private record Chunk(ByteBuf buf, int bytes, long dueNanos) {}

  private final LinkState link;
  private final Direction direction;
  private final Channel source;
  private final Channel sink;
  private final SplittableRandom random;
  private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long lastDueNanos = Long.MIN_VALUE;
  private long throttleFreeNanos = Long.MIN_VALUE;
  private ScheduledFuture<?> timer;
  private long timerDueNanos;
  private boolean sourceClosed;
  private boolean sinkClosed;

  Relay(LinkState link, Direction direction, Channel source, Channel sink, SplittableRandom random) {
    this.link = link;
    this.direction = direction;
    this.source = source;
    this.sink = sink;
    this.random = random;
  }

  void accept(ByteBuf buf) {
    Fault fault = link.fault(direction);
    if (sinkClosed || fault instanceof Fault.Drop) {
      buf.release();
      return;
    }
    long now = link.clock().nanoTime();
    if (queue.isEmpty()) {
      // Nothing ahead to keep order with, and a heal may have released bytes before their time.
      lastDueNanos = Long.MIN_VALUE;
      throttleFreeNanos = Math.min(throttleFreeNanos, now);
    }
    if (fault instanceof Fault.Throttle throttle) {
      enqueueThrottled(buf, throttle.bytesPerSecond(), now);
    } else {
      enqueue(buf, dueFor(fault, now));
    }
    refresh();
  }

  private long dueFor(Fault fault, long now) {
    long due = now;
    if (fault instanceof Fault.Delay delay) {
      long jitter = delay.jitter().toNanos();
      long sample = jitter == 0 ? 0 : random.nextLong(-jitter, jitter + 1);
      due = now + Math.max(0, delay.delay().toNanos() + sample);
    }
    return due;
  }

  private void enqueueThrottled(ByteBuf buf, long bytesPerSecond, long now) {
    int sliceBytes = (int) Math.max(THROTTLE_SLICE_BYTES_MIN, Math.min(Integer.MAX_VALUE, bytesPerSecond / THROTTLE_SLICES_PER_SECOND));
    while (buf.isReadable()) {
      int n = Math.min(sliceBytes, buf.readableBytes());
      ByteBuf slice = buf.readRetainedSlice(n);
      long start = Math.max(now, throttleFreeNanos);
      throttleFreeNanos = start + n * 1_000_000_000L / bytesPerSecond;
      enqueue(slice, throttleFreeNanos);
    }
    buf.release();
  }

  private void enqueue(ByteBuf buf, long dueNanos) {
    // TRICKY: a stream must never reorder, so a chunk is never due before the one ahead of it.
    long due = Math.max(dueNanos, lastDueNanos);
    lastDueNanos = due;
    int bytes = buf.readableBytes();
    queue.addLast(new Chunk(buf, bytes, due));
    queuedBytes += bytes;
  }

  /** Releases what is due, re-arms the timer and decides whether to read more. */
  void refresh() {
    if (sinkClosed) {
      return;
    }
    Fault fault = link.fault(direction);
    boolean held = fault instanceof Fault.Cut;
    if (!held) {
      // Only delay and throttle pace the queue; under any other fault a heal means flow now.
      boolean paced = fault instanceof Fault.Delay || fault instanceof Fault.Throttle;
      releaseDue(paced);
      armTimer();
    }
    if (queue.isEmpty() && sourceClosed) {
      sinkClosed = true;
      sink.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    boolean read = !held && !sourceClosed && queuedBytes < link.queueBytesMax() && sink.isActive() && sink.isWritable();
    if (source.config().isAutoRead() != read) {
      source.config().setAutoRead(read);
    }
  }

  private void releaseDue(boolean paced) {
    long now = link.clock().nanoTime();
    boolean wrote = false;
    while (!queue.isEmpty() && sink.isWritable() && (!paced || queue.peekFirst().dueNanos() <= now)) {
      Chunk chunk = queue.pollFirst();
      queuedBytes -= chunk.bytes();
      sink.write(chunk.buf(), sink.voidPromise());
      wrote = true;
    }
    if (wrote) {
      sink.flush();
    }
  }

  private void armTimer() {
    if (queue.isEmpty() || !sink.isWritable()) {
      return;
    }
    long due = queue.peekFirst().dueNanos();
    if (timer != null && !timer.isDone() && timerDueNanos <= due) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDueNanos = due;
    long delay = Math.max(0, due - link.clock().nanoTime());
    timer = source.eventLoop().schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
  }

  private void onTimer() {
    // TRICKY: the future is not done while this runs, so forget it before refresh re-arms.
    timer = null;
    refresh();
  }

  /** The source sent FIN or failed: deliver what is queued (when not cut), then close the sink. */
  void sourceClosed() {
    sourceClosed = true;
    refresh();
  }

  /** The sink is gone: nothing queued can be delivered any more. */
  void sinkClosed() {
    sinkClosed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    while (!queue.isEmpty()) {
      queue.pollFirst().buf().release();
    }
    queuedBytes = 0;
  }
}
