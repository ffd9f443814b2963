package dev.lockstep.checkers.linear;

import dev.lockstep.checkers.Result;

/** A linearizability result and, when the history is not linearizable, its counterexample. */
public record LinearReport(Result result, Counterexample counterexample) {}
