package dev.lockstep.harness.cli;

import dev.lockstep.harness.diverge.DivergenceFinder;
import dev.lockstep.harness.diverge.PartingFinder;
import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.workload.Workloads;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockstep diverge RUN}: where two nodes of one epoch parted. */
@Command(
    name = "diverge",
    mixinStandardHelpOptions = true,
    header = "Find where two nodes of a stored run parted: the icount, the instruction and the input.",
    description = {
      "Compares the state hashes two nodes of one epoch logged (nodes/<id>/events.jsonl) to find the last",
      "icount where they agree and the first where they differ, then re-executes the logged inputs (the",
      "backup's replay log, from its kept snapshot: the primary's inputs) through that window with the one",
      "replayer, verifying the logged hashes, and lists every input the guest consumed there with the",
      "instruction that read it, disassembled. With the planted bug backup-own-clock it names the clock read",
      "where the two sides parted: the backup answered it from its own clock and logged nothing of it, so its",
      "side cannot be re-executed; the report says what the logs cannot show.",
      "Default nodes: the primary and the other node with hashes in the epoch; default epoch: the first with",
      "a divergence report, else the first with hashes from two nodes.",
      "Exit: 0 the two nodes never diverged, 1 they diverged, 254 bad arguments or an unusable run."
    })
public final class DivergeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN", description = "A run directory (or a test's 'latest' link).")
  Path run;

  @Option(names = "--nodes", paramLabel = "A,B", description = "The two nodes to compare.")
  String nodes;

  @Option(names = "--epoch", paramLabel = "E", description = "The epoch to compare in.")
  Long epoch;

  @Override
  public Integer call() {
    try {
      Optional<List<String>> pair = Optional.empty();
      if (nodes != null) {
        List<String> ids = Arrays.stream(nodes.split(",")).map(String::strip).toList();
        if (ids.size() != 2 || ids.get(0).isEmpty() || ids.get(1).isEmpty() || ids.get(0).equals(ids.get(1))) {
          throw new RunArgument.UsageError("--nodes " + nodes + ": expected two different node ids, A,B");
        }
        pair = Optional.of(ids);
      }
      if (epoch != null && epoch < 0) {
        throw new RunArgument.UsageError("--epoch " + epoch + ": must be 0 or more");
      }
      RunDirectory dir = RunArgument.open(run);
      TestSettings settings = RunArgument.settings(dir);
      DivergenceFinder.Report r = DivergenceFinder.find(dir, Workloads.guest(settings.workload()), pair,
          Optional.ofNullable(epoch));
      print(r, System.out);
      return r.diverged() ? 1 : 0;
    } catch (RunArgument.UsageError | DivergenceFinder.FinderException e) {
      System.err.println("lockstep diverge: " + e.getMessage());
      return LockstepCli.EXIT_USAGE;
    } catch (IOException e) {
      System.err.println("lockstep diverge: " + run + ": cannot read (" + e.getMessage() + ")");
      return LockstepCli.EXIT_USAGE;
    }
  }

  static void print(DivergenceFinder.Report r, PrintStream out) {
    String a = r.a().node() + " (" + r.a().role() + ")";
    String b = r.b().node() + " (" + r.b().role() + ")";
    out.println("diverge: " + a + " and " + b + ", epoch " + r.epoch());
    if (!r.diverged()) {
      out.println("never diverged: " + r.commonHashes() + " state hashes logged at the same icounts agree"
          + (r.agree() >= 0 ? " (the last at icount " + r.agree() + ")" : "") + ", and neither node reported a divergence");
      return;
    }
    out.println("state hashes agree at icount " + r.agree() + " and differ at icount " + r.differ() + ": "
        + r.a().node() + " " + r.a().hashes().getOrDefault(r.differ(), "(none logged)") + ", "
        + r.b().node() + " " + r.b().hashes().getOrDefault(r.differ(), "(none logged)"));
    for (DivergenceFinder.Side s : List.of(r.a(), r.b())) {
      if (s.divergence() != null) {
        out.println(s.node() + " reported at icount " + s.divergence().icount() + ": " + s.divergence().detail());
      }
    }
    out.println("re-executed " + r.reference() + " through the window (" + r.hashesVerified() + " logged state hashes verified)");
    PartingFinder.Parting both = r.both();
    if (both != null) {
      out.printf("first instruction after which they differ: icount %d, pc 0x%08x: %s%n", both.icount(), both.pc(),
          both.instruction());
      if (both.inputA() != null || both.inputB() != null) {
        out.println("  input it consumed: " + r.a().node() + " " + (both.inputA() == null ? "none" : both.inputA())
            + ", " + r.b().node() + " " + (both.inputB() == null ? "none" : both.inputB()));
      }
      out.println("  registers after it (" + r.a().node() + ", " + r.b().node() + "):"
          + (both.registers().isEmpty() ? " the same" : ""));
      both.registers().forEach(line -> out.println("    " + line));
      out.println("  memory words that differ: " + both.wordsDiffering()
          + (both.wordsDiffering() > both.words().size() ? " (the first " + both.words().size() + " listed)" : ""));
      both.words().forEach(line -> out.println("    " + line));
      out.println("  devices that differ: " + (both.devices().isEmpty() ? "none" : ""));
      both.devices().forEach(line -> out.println("    " + line));
    }
    if (!r.around().isEmpty()) {
      out.println("instructions around it, re-executed from " + r.reference() + ":");
      r.around().forEach(line -> out.println("  " + line));
    }
    out.println("inputs " + r.reference().split("/", 2)[0] + " consumed in the window (" + r.inputs().size() + "):");
    int shown = 0;
    for (DivergenceFinder.Input i : r.inputs()) {
      if (shown++ == DivergenceFinder.INPUTS_LISTED_MAX) {
        out.println("  … " + (r.inputs().size() - DivergenceFinder.INPUTS_LISTED_MAX) + " more");
        break;
      }
      out.println(i.pc() == -1 ? String.format("  %12d  %s (%s)", i.icount(), i.kind(), i.value())
          : String.format("  %12d  0x%08x  %-28s %s = %s", i.icount(), i.pc(), i.instruction(), i.kind(), i.value()));
    }
    if (r.cannotSee() != null) {
      out.println("cannot see: " + r.cannotSee());
    }
  }
}
