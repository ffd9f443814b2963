package dev.lockstep.checkers.linear;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Settings of one linearizability check.
 *
 * @param model the model, or null to infer it from the ops' {@code f}s
 * @param init the register's initial value (Knossos's default is nil); a list for list-append
 * @param knossosNil a nil read matches any state, as Knossos's register models do
 * @param timeLimit past it the verdict is unknown
 * @param memoBytesMax past this estimate of memo bytes, over all keys, the verdict is unknown
 * @param nanoClock a monotonic clock in nanoseconds, only read to enforce {@code timeLimit}
 */
public record LinearOptions(
    Model model, Object init, boolean knossosNil, Duration timeLimit, long memoBytesMax, LongSupplier nanoClock) {

  /** Default memo budget: a quarter of the heap, so the rest of the analysis still fits. */
  public static long defaultMemoBytesMax() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  public static LinearOptions of(Model model, LongSupplier nanoClock) {
    return new LinearOptions(model, null, false, Duration.ofSeconds(60), defaultMemoBytesMax(), nanoClock);
  }

  public LinearOptions withInit(Object value) {
    return new LinearOptions(model, value, knossosNil, timeLimit, memoBytesMax, nanoClock);
  }

  public LinearOptions withKnossosNil(boolean on) {
    return new LinearOptions(model, init, on, timeLimit, memoBytesMax, nanoClock);
  }

  public LinearOptions withTimeLimit(Duration limit) {
    return new LinearOptions(model, init, knossosNil, limit, memoBytesMax, nanoClock);
  }

  public LinearOptions withMemoBytesMax(long bytes) {
    return new LinearOptions(model, init, knossosNil, timeLimit, bytes, nanoClock);
  }

  public LinearOptions withModel(Model m) {
    return new LinearOptions(m, init, knossosNil, timeLimit, memoBytesMax, nanoClock);
  }
}
