/**
 * Generators: pure functions from a {@link dev.lockstep.harness.generator.Context} and a seeded
 * {@link java.util.SplittableRandom} to the next operation a process should invoke, and when. Owns
 * concurrency bookkeeping (process ids, retirement after {@code info}), rate limits, op mixes and key
 * distributions. Must never read a clock, sleep, touch the network or keep hidden mutable state: the
 * runner supplies time and randomness.
 */
package dev.lockstep.harness.generator;
