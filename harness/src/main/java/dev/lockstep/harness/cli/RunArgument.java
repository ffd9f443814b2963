package dev.lockstep.harness.cli;

import dev.lockstep.harness.runner.TestSettings;
import dev.lockstep.harness.store.RunStore;
import dev.lockstep.histories.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;

/** A run directory named on the command line, opened with a one-line error for a user's mistake. */
final class RunArgument {

  private RunArgument() {}

  static RunDirectory open(Path path) throws UsageError {
    try {
      return RunDirectory.open(path);
    } catch (IOException e) {
      throw new UsageError(path + ": not a run directory (" + e.getMessage() + ")");
    }
  }

  static TestSettings settings(RunDirectory run) throws UsageError {
    try {
      return RunStore.readSettings(run.path());
    } catch (IOException e) {
      throw new UsageError(e.getMessage());
    }
  }

  /** A mistake of the user's: printed as one line, exit 254. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message);
    }
  }
}
