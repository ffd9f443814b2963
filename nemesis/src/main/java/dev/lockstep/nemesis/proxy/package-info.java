/**
 * A Netty TCP proxy for one link whose two directions can be cut, delayed, throttled, reset or
 * made flaky while connections stay open. Owns its pipeline classes and per-connection queues;
 * never closes a connection for a cut (a partition holds traffic, as a real one does) and never
 * lets a queue grow past its byte bound (it stops reading instead).
 */
package dev.lockstep.nemesis.proxy;
