#!/usr/bin/env python3
"""Testing the tester (issue 13 §5): one-line protocol mutations, each applied to a copy of the code.

For every mutation: copy the checkout (never touch it), change exactly one line (fail loudly when the
line is not found exactly once, so an unmutated build is never reported as a mutant), build the copy,
run a simulated swarm until its first invalid seed or a wall bound, then run the real chaos test a few
times. A control (no mutation) runs the same swarm. Writes a markdown table to target/mutations.md.

Called by scripts/mutations.sh; settings come from the environment (see that script).
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("MUT_WORK", "/tmp/lockstep-mutations"))
SWARM_BOUND_S = int(os.environ.get("MUT_SWARM_S", "180"))
SWARM_SEED = int(os.environ.get("MUT_SEED", "1"))
REAL_RUNS = int(os.environ.get("MUT_REAL_RUNS", "2"))
REAL_TIME_LIMIT_S = int(os.environ.get("MUT_REAL_TIME_S", "60"))
REAL_NEMESIS = os.environ.get("MUT_REAL_NEMESIS", "mix")
# a second family per mutation, run when the first catches fewer than REAL_ENOUGH of its runs as a safety or audit violation
REAL_TARGETED = os.environ.get("MUT_REAL_TARGETED", "1") != "0"
REAL_ENOUGH = int(os.environ.get("MUT_REAL_ENOUGH", "3"))
REAL_JOBS = int(os.environ.get("MUT_REAL_JOBS", "1"))
SKIP_SWARM = bool(os.environ.get("MUT_SKIP_SWARM"))
# checkers whose failure is not a safety or audit violation
NOT_SAFETY = {"liveness", "stats"}
REAL_DEADLINE_S = float(os.environ.get("MUT_REAL_DEADLINE_S", "inf"))
START = time.monotonic()
# seeds that fail on the unmutated code too: a mutant's swarm notes them and goes on
CONTROL_FAILS = set(s for s in os.environ.get("MUT_CONTROL_FAILS", "").split(",") if s)
ONLY = [s for s in os.environ.get("MUT_ONLY", "").split(",") if s]
OUT = Path(os.environ.get("MUT_OUT", str(ROOT / "target" / "mutations.md")))

SIM_ONLY = "sim only: the real client does not run this code"
REAL_ONLY_CHANNEL = "real only: the simulator's channel twin (sim/SimLogEndpoint) checks epochs itself"
REAL_ONLY_COORD = "real only: the simulator runs the twin sim/ZkTwinClient, held to Coordinator by the contract test"
REAL_FOR = [s for s in os.environ.get("MUT_REAL_FOR", "").split(",") if s]
REAL_ONLY_CLIENT = "real only: the simulated client (client/SimFtClient) has its own timeout path"

# name, class (found by file name under src/main), the exact line (stripped), its replacement, what it models, note
MUTATIONS = [
    ("gate-ack-off-by-one", "OutputGate",
     "boolean acked = mode == Mode.WITH_BACKUP && p.seq() <= ackedSeq;",
     "boolean acked = mode == Mode.WITH_BACKUP && p.seq() <= ackedSeq + 1;",
     "output rule: an output leaves when its entry is one past the ack", ""),
    ("gate-ignores-zk", "OutputGate",
     "if (acked || (alone && zkConnected) || skipOutputRule) {",
     "if (acked || alone || skipOutputRule) {",
     "output rule: a primary alone releases while ZooKeeper's word is missing", ""),
    ("epoch-guard-stale", "EpochGuard",
     "if (f.epoch() != epoch) {",
     "if (f.epoch() > epoch) {",
     "epoch check on frames: frames of an older epoch pass", REAL_ONLY_CHANNEL),
    ("timeout-as-fail-real", "FtClient",
     "return sent ? new Result.Info(why) : new Result.Fail(Optional.empty(), \"never sent: \" + why);",
     "return sent ? new Result.Fail(Optional.empty(), why) : new Result.Fail(Optional.empty(), \"never sent: \" + why);",
     "client: a timed-out call that was sent counts as failed, not info", REAL_ONLY_CLIENT),
    ("coord-stale-observed", "Coordinator",
     "if (current != observedEpoch) {",
     "if (current < observedEpoch) {",
     "test-and-set: goes live although the epoch moved past the one observed", REAL_ONLY_COORD),
    ("catchup-skips-vouched", "BackupDriver",
     "Replayer.Status s = replayer.step(Long.MAX_VALUE, vouched);",
     "Replayer.Status s = replayer.step(Long.MAX_VALUE, received.peek() == null ? machine.icount() : vouched);",
     "catch-up: go live without running to the icount the primary vouched for", ""),
    ("catchup-one-entry", "BackupDriver",
     "case PROGRESS, SHUTDOWN -> { }",
     "case PROGRESS, SHUTDOWN -> { return true; }",
     "catch-up: applies only the first received entry", ""),
    ("backup-past-vouched", "Replayer",
     "runTo(vouched - ic > budget ? ic + budget : vouched);",
     "runTo(vouched - ic > budget ? ic + budget : vouched + 1_000);",
     "flow control: the backup runs 1,000 instructions past the icount the primary vouched for", ""),
    ("join-gate-not-switched", "PrimaryDriver",
     "gate.mode(OutputGate.Mode.WITH_BACKUP);",
     "// gate.mode(OutputGate.Mode.WITH_BACKUP);",
     "backup join: the gate keeps its mode (a primary alone keeps releasing unacked)", ""),
    ("reclaim-accepts-advanced", "Lifecycle",
     "if (r != Reclaim.HELD) {",
     "if (r == Reclaim.HELD_BY_OTHER) {",
     "reclaim: a primary whose epoch moved on (EPOCH_ADVANCED) carries on", ""),
    ("contend-current-epoch", "Lifecycle",
     "r = coord.tryGoLive(observed);",
     "r = coord.tryGoLive(coord.epoch());",
     "test-and-set: contends for the epoch it reads now, not the one it observed", ""),
    ("stream-ignores-acks", "LogStream",
     "ackedBytes = bytesThrough[ringIndex(global)];",
     "// ackedBytes = bytesThrough[ringIndex(global)];",
     "flow control: the log buffer bound never counts acked bytes", ""),
    ("timeout-as-fail-sim", "SimFtClient",
     "? new Result.Info(c.why)",
     "? new Result.Fail(Optional.empty(), c.why)",
     "client (simulated twin): a timed-out call that was sent counts as failed", SIM_ONLY),
]

# The real-run family aimed at each mutation's window, tried when REAL_NEMESIS catches it too rarely.
TARGETED = {
    "gate-ack-off-by-one": "slow",
    "gate-ignores-zk": "coordination",
    "epoch-guard-stale": "partition,one-way",
    "timeout-as-fail-real": "partition",
    # both nodes contend on a cut peer link; the later one reads the epoch the earlier one moved
    "coord-stale-observed": "partition:target=peer:every=5s:for=1s-2s",
    "catchup-skips-vouched": "catch-up",
    "catchup-one-entry": "catch-up",
    "backup-past-vouched": "slow",  # the backup attached and replaying at the frontier, where it overshoots
    "join-gate-not-switched": "join",
    # the old primary resumes into an epoch another node won: the path the mutant changes
    "reclaim-accepts-advanced": "coordination:mode=pause-epoch:every=12s",
    # only the peer link cut, both ways: each node times out on its own and contends, the later one
    # after the earlier one's win moved the epoch it reads
    "contend-current-epoch": "partition:target=peer:every=5s:for=1s-2s",
    "stream-ignores-acks": "slow,catch-up",
}


def log(msg):
    print(f"[mutations {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def find_class(copy, cls):
    hits = sorted(p for p in copy.rglob(f"{cls}.java") if "/src/main/" in str(p) and "/target/" not in str(p))
    if len(hits) != 1:
        raise SystemExit(f"mutations: expected one {cls}.java under src/main, found {hits}")
    return hits[0]


def apply(copy, cls, before, after):
    """Replaces the one line whose text is `before`; refuses anything but exactly one match."""
    path = find_class(copy, cls)
    lines = path.read_text().split("\n")
    idx = [i for i, l in enumerate(lines) if l.strip() == before]
    if len(idx) != 1:
        raise SystemExit(f"mutations: {path.relative_to(copy)}: the line {before!r} occurs {len(idx)} times, not once")
    i = idx[0]
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines[i] = indent + after
    path.write_text("\n".join(lines))
    check = [l.strip() for l in path.read_text().split("\n")]
    if check.count(after) < 1 or check.count(before) != 0:
        raise SystemExit(f"mutations: {path}: the mutation did not take")
    return str(path.relative_to(copy)), i + 1


def code_stamp():
    """The committed trees of everything the build reads (this script's own folder excluded)."""
    return subprocess.run(["git", "-C", str(ROOT), "ls-tree", "HEAD", "pom.xml", "bin", "histories", "checkers",
                           "ftvm", "nemesis", "harness"], check=True, capture_output=True, text=True).stdout


def control_current(dest):
    stamp = dest / ".mutations-code"
    return stamp.exists() and stamp.read_text() == code_stamp() and (dest / "harness/target/lockstep.jar").exists()


def make_copy(name):
    """A fresh copy of the committed tree (git archive: no target, no local edits), built once as the
    control; mutants start from the built control so unchanged modules are not compiled again."""
    dest = WORK / name
    base = WORK / "control"
    if name != "control" and dest.exists():
        shutil.rmtree(dest)
    if name != "control" and (base / "harness/target/lockstep.jar").exists():
        shutil.copytree(base, dest, symlinks=True)  # keeps mtimes: unchanged modules are not compiled again
        for jar in list((dest / "ftvm/target").glob("*.jar")) + list((dest / "harness/target").glob("*.jar")):
            jar.unlink()  # packaged afresh; build() checks the mutated class was compiled again
        return dest
    if name == "control" and control_current(dest):
        return dest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def build(copy):
    t0 = time.monotonic()
    r = subprocess.run(["mvn", "-q", "-o", "-B", "package", "-DskipTests"], cwd=copy,
                       capture_output=True, text=True)
    if r.returncode != 0 or not (copy / "harness/target/lockstep.jar").exists():
        sys.stderr.write(r.stdout[-4000:] + r.stderr[-4000:])
        return False, time.monotonic() - t0
    return True, time.monotonic() - t0


def recompiled(copy, file, cls):
    """Stops unless the mutated source's class is newer than the source (else the jar holds the original)."""
    src = copy / file
    classes = list((copy / file.split("/src/main/")[0] / "target/classes").rglob(f"{cls}.class"))
    if len(classes) != 1 or classes[0].stat().st_mtime < src.stat().st_mtime:
        raise SystemExit(f"mutations: {cls}.class was not compiled again from the mutated {file}")
    with zipfile.ZipFile(copy / "harness/target/lockstep.jar") as z:
        name = str(classes[0].relative_to(copy / file.split("/src/main/")[0] / "target/classes"))
        if z.read(name) != classes[0].read_bytes():
            raise SystemExit(f"mutations: lockstep.jar does not hold the mutated {name}")


def swarm(copy):
    """Runs seeds from SWARM_SEED until the first INVALID seed or the wall bound; returns a dict."""
    store = WORK / "stores" / copy.name / "sim"
    cmd = ["java", "-jar", str(copy / "harness/target/lockstep.jar"), "sim", "--seed", str(SWARM_SEED),
           "--duration", f"{SWARM_BOUND_S}s", "--jobs", "1", "--store", str(store)]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                         start_new_session=True)
    res = {"found": False, "seconds": None, "seed": "", "checker": "", "unknown": "", "seeds": "?", "known": []}
    try:
        for line in p.stdout:
            line = line.rstrip()
            if line.startswith("FAIL seed"):
                # FAIL seed 7 [linearizable, split-brain] (error) -> dir
                parts = line.split()
                if parts[2] in CONTROL_FAILS:
                    res["known"].append(parts[2])
                    log(f"  swarm: seed {parts[2]} fails on the unmutated code too; going on")
                    continue
                res.update(found=True, seconds=round(time.monotonic() - t0, 1), seed=parts[2],
                           checker=line.split("[", 1)[1].split("]", 1)[0] if "[" in line else "?")
                if " (" in line.split("] ", 1)[-1]:
                    res["checker"] += " (error: " + line.split("] (", 1)[1].split(") -> ", 1)[0][:80] + ")"
                log(f"  swarm: {line}")
                break
            if line.startswith("UNKNOWN seed") and not res["unknown"]:
                parts = line.split()
                res["unknown"] = f"seed {parts[2]} " + (line.split("[", 1)[1].split("]", 1)[0] if "[" in line else "")
            if line.startswith("sim swarm:"):
                res["seeds"] = line.split()[2]
            if time.monotonic() - t0 > SWARM_BOUND_S + 60:
                break
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)  # our own process group only
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
    res["wall"] = round(time.monotonic() - t0, 1)
    return res


def real_run(copy, nemesis, k):
    """One real chaos test; returns (verdict, checkers that did not pass)."""
    store = WORK / "stores" / copy.name / f"real-{nemesis.replace(',', '_')}-{k}"
    cmd = ["java", "-jar", str(copy / "harness/target/lockstep.jar"), "test", "--time-limit",
           str(REAL_TIME_LIMIT_S), "--nemesis", nemesis, "--seed", str(1000 + k), "--store", str(store)]
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=copy, timeout=REAL_TIME_LIMIT_S + 300)
    except subprocess.TimeoutExpired:
        return ("hung", [])
    verdict = {0: "valid", 1: "invalid", 2: "unknown"}.get(r.returncode, f"not run ({r.returncode})")
    bad = []
    results = sorted(store.rglob("results.json"))
    if results:
        try:
            d = json.loads(results[-1].read_text())
            bad = [f"{k2}={v['valid']}" for k2, v in d.items()
                   if isinstance(v, dict) and str(v.get("valid")) != "true"]
        except (ValueError, OSError) as e:
            bad = [f"results unreadable: {e}"]
    if r.returncode not in (0, 1, 2):
        sys.stderr.write(r.stderr[-2000:])
    log(f"  {copy.name} {nemesis} run {k + 1}: {verdict} {' '.join(bad)} in {time.monotonic() - t0:.0f} s")
    return (verdict, bad)


def safety(run):
    """The checkers of a run that judged a safety or audit property false (not liveness, not unknown)."""
    verdict, bad = run
    return [b.split("=")[0] for b in bad if b.endswith("=false") and b.split("=")[0] not in NOT_SAFETY]


def real_runs(copy, n, nemesis):
    """n real chaos tests of `nemesis`, REAL_JOBS at a time; returns [(verdict, checkers that did not pass)]."""
    from concurrent.futures import ThreadPoolExecutor
    if time.monotonic() - START > REAL_DEADLINE_S:
        log("  past MUT_REAL_DEADLINE_S: no more real runs")
        return []
    with ThreadPoolExecutor(max_workers=max(1, REAL_JOBS)) as pool:
        return list(pool.map(lambda k: real_run(copy, nemesis, k), range(n)))


def real_cell(nemesis, reals):
    if not reals:
        return "-"
    caught = sum(1 for r in reals if safety(r))
    live = sum(1 for r in reals if not safety(r) and r[0] == "invalid")
    unknown = sum(1 for r in reals if r[0] == "unknown")
    checkers = sorted({c for r in reals for c in safety(r)})
    text = f"{nemesis}: **{caught} of {len(reals)}**" + (f" ({', '.join(checkers)})" if checkers else "")
    if live:
        text += f", liveness only {live}"
    if unknown:
        text += f", unknown {unknown}"
    return text


def cell(s):
    return str(s).replace("|", "\\|")


def row(name, file, line, before, after, what, note, sw, reals):
    if sw is None:
        swc = "not built | - | - | -"
    elif sw.get("skipped") == "MUT_SKIP_SWARM":
        swc = "not run (MUT_SKIP_SWARM) | - | - | -"
    elif sw.get("skipped"):
        swc = "n/a (code not on the simulated path) | - | - | -"
    elif sw["found"]:
        swc = f"yes | {sw['seconds']} | {sw['seed']} | {sw['checker']}"
        if sw.get("known"):
            swc += f" (passed control-failing seed {','.join(sw['known'])})"
    else:
        swc = (f"no ({SWARM_BOUND_S} s{', unknown ' + sw['unknown'] if sw['unknown'] else ''}"
               f"{', control-failing seed ' + ','.join(sw['known']) + ' only' if sw.get('known') else ''}) | - | - | -")
    rc = "; ".join(real_cell(nem, runs) for nem, runs in reals) if reals else "-"
    return (f"| {name} | {cell(file)}:{line} | `{cell(before)}` | `{cell(after)}` | {swc} | {cell(rc)} | "
            f"{cell(what)}{'; ' + note if note else ''} |")


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    header = ["| mutation | file:line | before | after | swarm found? | s to first invalid | seed | checker "
              "| real runs caught as a safety or audit violation (checkers) | what it models; note |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    rows = []

    def flush():
        OUT.write_text("\n".join(
            [f"Mutation check: swarm from seed {SWARM_SEED}, --jobs 1, bound {SWARM_BOUND_S} s wall; real runs: "
             f"`lockstep test --time-limit {REAL_TIME_LIMIT_S} --nemesis {REAL_NEMESIS}` (seeds 1000..), then the "
             f"mutation's targeted family when that caught fewer than {REAL_ENOUGH}; {REAL_JOBS} at a time.", ""] + header + rows) + "\n")

    log("control: copy and build")
    control = make_copy("control")
    ok, secs = (True, 0) if control_current(control) else build(control)
    if not ok:
        raise SystemExit("mutations: the unmutated copy does not build")
    (control / ".mutations-code").write_text(code_stamp())
    if os.environ.get("MUT_SKIP_CONTROL"):
        rows.append("| control (none) | - | - | - | skipped (MUT_SKIP_CONTROL) | - | - | - | - | - |")
    else:
        log(f"control built in {secs:.0f} s; swarm")
        sw = {"skipped": "MUT_SKIP_SWARM", "found": False, "seeds": "no"} if SKIP_SWARM else swarm(control)
        # the unmutated code must pass the real runs too, or the mutants' catches mean nothing
        creals = [(REAL_NEMESIS, real_runs(control, REAL_RUNS, REAL_NEMESIS))] if REAL_RUNS else []
        rows.append(row("control (none)", "-", "-", "-", "-", "unmutated copy",
                        f"{sw['seeds']} seeds" if not sw["found"] and not SKIP_SWARM else "", sw, creals))
        if sw["found"]:
            log(f"the unmutated code fails seed {sw['seed']}: mutants' swarms pass over it")
            CONTROL_FAILS.add(sw["seed"])
    flush()
    for name, cls, before, after, what, note in MUTATIONS:
        if ONLY and name not in ONLY:
            continue
        log(f"{name}: copy, mutate {cls}")
        copy = make_copy(name)
        file, line = apply(copy, cls, before, after)
        ok, secs = build(copy)
        if ok:
            recompiled(copy, file, cls)
        else:
            rows.append(row(name, file, line, before, after, what, "does not compile", None, None))
            flush()
            continue
        log(f"{name}: built in {secs:.0f} s; swarm")
        unreachable = note.startswith("real only") and os.environ.get("MUT_SKIP_UNREACHABLE")
        sw = {"skipped": True} if unreachable else {"skipped": "MUT_SKIP_SWARM"} if SKIP_SWARM else swarm(copy)
        wants_real = note != SIM_ONLY and (not REAL_FOR or name in REAL_FOR or note.startswith("real only"))
        reals = []
        if wants_real and REAL_RUNS:
            runs = real_runs(copy, REAL_RUNS, REAL_NEMESIS)
            reals.append((REAL_NEMESIS, runs))
            target = TARGETED.get(name)
            if REAL_TARGETED and target and target != REAL_NEMESIS and sum(1 for r in runs if safety(r)) < REAL_ENOUGH:
                reals.append((target, real_runs(copy, REAL_RUNS, target)))
        rows.append(row(name, file, line, before, after, what, note, sw, reals))
        flush()
        if not os.environ.get("MUT_KEEP"):
            shutil.rmtree(copy, ignore_errors=True)
    print(OUT.read_text())


if __name__ == "__main__":
    main()
