/**
 * Orchestration of one test: derives child seeds, starts ZooKeeper, the nodes and the fault proxies
 * (or a network namespace per member), runs the client workers and the nemesis concurrently, records the history with monotonic time and
 * index, heals everything and checks liveness, collects the nodes' logs, and hands the run to the
 * checkers, the store and the reports. Clocks and sleeps enter through small ports so the workers can be
 * driven deterministically in tests. Must never judge a history itself.
 */
package dev.lockstep.harness.runner;
