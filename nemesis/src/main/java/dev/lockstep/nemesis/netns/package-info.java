/**
 * Real partitions the way Jepsen makes them: each member of a test (a ZooKeeper server, a node) in its
 * own network namespace with its own address on a bridge the run creates, and packet filters
 * (iptables) inside the namespaces instead of a proxy in the data path. Everything created here is
 * removed on close and by a shutdown hook. Needs root; never touches a namespace or rule it did not
 * create (every name carries the run's tag).
 */
package dev.lockstep.nemesis.netns;
