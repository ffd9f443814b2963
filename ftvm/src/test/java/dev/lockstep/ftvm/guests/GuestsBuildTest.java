package dev.lockstep.ftvm.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build.sh: the classpath images are what the sources build to, and bad use is reported clearly. */
class GuestsBuildTest {
  private static final Path BUILD_SCRIPT = Path.of("guests", "build.sh");
  private static final long BUILD_SECONDS_MAX = 120;

  private record Result(int exitCode, String stderr) {
  }

  private static Result build(String... args) throws IOException, InterruptedException {
    return buildWithClang(null, args);
  }

  private static Result buildWithClang(String clang, String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = BUILD_SCRIPT.toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().remove("CPUBENCH_ITERATIONS");
    if (clang != null) {
      pb.environment().put("CLANG", clang);
    }
    Process p = pb.start();
    try {
      String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(BUILD_SECONDS_MAX, TimeUnit.SECONDS), "build.sh finished");
      return new Result(p.exitValue(), stderr);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void imagesOnTheClasspathAreExactlyWhatTheSourcesBuild(@TempDir Path out) throws Exception {
    Result r = build(out.toString(), out.resolve("stamp").toString());
    assertEquals(0, r.exitCode(), r.stderr());
    for (String name : Guests.NAMES) {
      assertArrayEquals(Guests.load(name), Files.readAllBytes(out.resolve(name + ".elf")), name);
    }
  }

  @Test
  void missingArgumentAndMissingCompilerAreClearErrors(@TempDir Path out) throws Exception {
    Result usage = build();
    assertEquals(254, usage.exitCode());
    assertEquals("usage: build.sh OUTDIR [STAMPDIR]\n", usage.stderr());
    Result noClang = buildWithClang("clang-missing-here", out.toString());
    assertEquals(1, noClang.exitCode());
    assertEquals("guests: 'clang-missing-here' not found; run scripts/setup.sh to install clang and lld\n",
        noClang.stderr());
  }
}
