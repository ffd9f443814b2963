package dev.lockstep.ftvm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads guest images from files or from the bundled {@code /guests/NAME.elf} resources. */
final class GuestImages {
  private GuestImages() {}

  static byte[] bundled(String name) throws CliFailure {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new CliFailure(ExitCodes.USAGE, "bad guest name '" + name + "'");
    }
    try (InputStream in = GuestImages.class.getResourceAsStream("/guests/" + name + ".elf")) {
      if (in == null) {
        throw new CliFailure(ExitCodes.USAGE, "no bundled guest '" + name + "' (resource /guests/" + name + ".elf)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, "cannot read bundled guest '" + name + "': " + e.getMessage());
    }
  }

  static byte[] file(Path path) throws CliFailure {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CliFailure(ExitCodes.USAGE, path + ": no such file");
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.USAGE, path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  static byte[] load(Path path, String name) throws CliFailure {
    if ((path == null) == (name == null)) {
      throw new CliFailure(ExitCodes.USAGE, "give exactly one of GUEST.elf or --guest NAME");
    }
    return path != null ? file(path) : bundled(name);
  }
}
