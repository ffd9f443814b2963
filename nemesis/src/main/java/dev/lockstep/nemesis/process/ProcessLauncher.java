package dev.lockstep.nemesis.process;

import java.io.IOException;

/**
 * Starts a fresh instance of a process. Called once at start and again at every restart, so it
 * must build the whole command each time (a restarted node joins as backup, for example).
 */
@FunctionalInterface
public interface ProcessLauncher {
  Process launch() throws IOException;
}
