package dev.lockstep.nemesis.proxy;

/** A direction of a proxied link: {@code UPSTREAM} is client → target, {@code DOWNSTREAM} the reply path. */
public enum Direction {
  UPSTREAM,
  DOWNSTREAM
}
