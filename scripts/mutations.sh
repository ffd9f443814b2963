#!/usr/bin/env bash
# Testing the tester (issue 13 §5): applies one-line protocol mutations, one at a time, to copies of the
# committed code (never to this checkout), builds each copy, runs a simulated swarm on it until the first
# failing seed or a wall bound, and the real chaos test a few times; a control runs the unmutated copy.
# Prints a markdown table and writes it to target/mutations.md. One mutation after another, --jobs 1.
#
# Environment (all optional):
#   MUT_WORK=/tmp/lockstep-mutations  where the copies and run directories go
#   MUT_SWARM_S=180        swarm wall bound per mutation, seconds
#   MUT_SEED=1             the swarms' first seed
#   MUT_REAL_RUNS=2        real `lockstep test` runs per mutation (0: none)
#   MUT_REAL_TIME_S=60     --time-limit of a real run;  MUT_REAL_NEMESIS=mix  its --nemesis
#   MUT_REAL_TARGETED=1    then the mutation's targeted family (TARGETED in mutations.py) when MUT_REAL_NEMESIS
#                          caught fewer than MUT_REAL_ENOUGH=3 runs as a safety or audit violation (0: never)
#   MUT_REAL_JOBS=1        real runs at a time;  MUT_SKIP_SWARM=1  no swarms (real runs only)
#   MUT_REAL_FOR=a,b       real runs only for these mutations (and those the simulator cannot reach)
#   MUT_REAL_DEADLINE_S=N  start no real run after N seconds of the whole check (the swarms all still run)
#   MUT_ONLY=a,b           run only these mutations (the control always runs)
#   MUT_SKIP_UNREACHABLE=1 no swarm for mutations in code the simulator does not run
#   MUT_KEEP=1             keep each mutated copy
#   MUT_SKIP_CONTROL=1     no control swarm (the control copy is still built: mutants start from it)
#   MUT_CONTROL_FAILS=s,t    seeds the unmutated code fails too (a control failure is added itself): not counted
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v python3 >/dev/null || { echo "mutations: python3 is required" >&2; exit 1; }
exec python3 "$root/scripts/mutations.py" "$@"
