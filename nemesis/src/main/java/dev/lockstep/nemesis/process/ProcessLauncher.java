package dev.lockstep.nemesis.process;

import java.io.IOException;

/**
 * Starts a fresh instance of a process. Called once at start and again at every restart, so it
 * must build the whole command each time (a restarted node joins as backup, for example). Redirect
 * the child's output to files (or inherit it): a pipe nobody reads fills up and blocks the child,
 * which would look like a pause the nemesis never made.
 */
@FunctionalInterface
public interface ProcessLauncher {
  Process launch() throws IOException;
}
