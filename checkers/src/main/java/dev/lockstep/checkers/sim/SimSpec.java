package dev.lockstep.checkers.sim;

/**
 * What to simulate.
 *
 * @param model {@code cas-register}, {@code kv} or {@code list-append}
 * @param processes concurrent clients
 * @param calls operations to invoke in all
 * @param keys keys (1 for a single register)
 * @param crashPercent share of calls that end in {@code info} (half of them took effect)
 * @param uniqueValues every write writes a new value (else values 0..4, as Jepsen's cas test)
 * @param anomaly the one fault to inject
 * @param seed the seed of the only random source
 */
public record SimSpec(
    String model, int processes, int calls, int keys, double crashPercent, boolean uniqueValues, Anomaly anomaly, long seed) {

  public static SimSpec casRegister(int processes, int calls, long seed) {
    return new SimSpec("cas-register", processes, calls, 1, 0, false, Anomaly.NONE, seed);
  }

  public SimSpec withKeys(int k) {
    return new SimSpec(k > 1 && model.equals("cas-register") ? "kv" : model, processes, calls, k, crashPercent, uniqueValues, anomaly, seed);
  }

  public SimSpec withCrashPercent(double percent) {
    return new SimSpec(model, processes, calls, keys, percent, uniqueValues, anomaly, seed);
  }

  public SimSpec withAnomaly(Anomaly a) {
    return new SimSpec(model, processes, calls, keys, crashPercent, true, a, seed);
  }

  public SimSpec withModel(String m) {
    return new SimSpec(m, processes, calls, keys, crashPercent, uniqueValues, anomaly, seed);
  }

  public SimSpec withUniqueValues(boolean unique) {
    return new SimSpec(model, processes, calls, keys, crashPercent, unique, anomaly, seed);
  }
}
