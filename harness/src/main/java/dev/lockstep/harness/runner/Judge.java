package dev.lockstep.harness.runner;

import dev.lockstep.checkers.Checkers;
import dev.lockstep.checkers.HistoryOrder;
import dev.lockstep.checkers.Result;
import dev.lockstep.checkers.ResultFiles;
import dev.lockstep.checkers.Summary;
import dev.lockstep.checkers.linear.LinearOptions;
import dev.lockstep.checkers.linear.Model;
import dev.lockstep.harness.workload.Workload;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a stored run with every checker (through the checkers' run-directory entry point, the same one
 * {@code lockstep check} uses, so a later offline check reaches the same verdict) and adds the run's own
 * liveness result, which only the live run can know; {@code results.json} and {@code results.edn} then
 * hold both.
 */
public final class Judge {

  /** Where the liveness result is kept apart from results.json. */
  public static final String LIVENESS_JSON = "liveness.json";

  /** Bound of the linearizability search; past it the verdict is unknown. */
  public static final Duration LINEAR_TIME_LIMIT = Duration.ofSeconds(60);

  private Judge() {}

  public static Summary judge(RunDirectory run, Workload workload, Result liveness) throws IOException {
    LinearOptions options = LinearOptions.of(Model.parse(workload.model()), System::nanoTime).withTimeLimit(LINEAR_TIME_LIMIT);
    Summary checked = Checkers.checkRunDirectory(run.path(), options, HistoryOrder.INDEX);
    List<Result> results = new ArrayList<>(checked.results());
    results.add(liveness);
    Summary all = new Summary(checked.verdict().merge(liveness.verdict()), results, checked.counterexample());
    Files.writeString(run.resultsJson(), ResultFiles.json(all.toMap()), StandardCharsets.UTF_8);
    Files.writeString(run.resultsEdn(), ResultFiles.edn(all.toMap()), StandardCharsets.UTF_8);
    // lockstep check rewrites results.json from the stored files alone; liveness is only known live.
    Files.writeString(run.path().resolve(LIVENESS_JSON), ResultFiles.json(liveness.toMap()), StandardCharsets.UTF_8);
    return all;
  }
}
