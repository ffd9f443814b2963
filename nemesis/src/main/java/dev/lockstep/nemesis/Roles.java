package dev.lockstep.nemesis;

import java.util.Optional;

/** Who is primary and backup right now; asked at the moment a fault starts. */
public interface Roles {
  Optional<String> primary();

  Optional<String> backup();
}
