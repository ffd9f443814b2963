package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random histories survive write-then-read in every format, as data and as text. */
class RoundTripPropertyTest {
  private static final long SEED = 0x5EED_2026L;
  private static final int CASES = 300;
  private static final int OPS_PER_CASE_MAX = 20;

  @Test
  void ednRoundTripsEveryValueType() throws Exception {
    check(Format.EDN, true);
  }

  @Test
  void jsonLinesRoundTrip() throws Exception {
    check(Format.JSONL, false);
  }

  @Test
  void jsonArrayRoundTrips() throws Exception {
    check(Format.JSON, false);
  }

  private static void check(Format format, boolean edn) throws Exception {
    SplittableRandom seeds = new SplittableRandom(SEED);
    for (int c = 0; c < CASES; c++) {
      long seed = seeds.nextLong();
      List<Op> ops = new RandomOps(seed, edn).history(seeds.nextInt(OPS_PER_CASE_MAX + 1));
      String text = Histories.toString(ops, format);
      String name = "case-" + Long.toHexString(seed) + "." + format.extension();
      List<Op> back = Histories.parse(text, format, name);
      assertEquals(ops, back, () -> "seed " + Long.toHexString(seed) + ":\n" + text);
      assertEquals(text, Histories.toString(back, format), "seed " + Long.toHexString(seed));
    }
  }

  @Test
  void filesRoundTripThroughTheFacade(@TempDir Path dir) throws Exception {
    for (Format format : Format.values()) {
      List<Op> ops = new RandomOps(SEED + format.ordinal(), format == Format.EDN).history(200);
      Path file = dir.resolve("h." + format.extension());
      Histories.write(file, ops);
      assertEquals(ops, Histories.read(file), format.toString());
      byte[] first = Files.readAllBytes(file);
      Histories.write(file, Histories.read(file), format);
      assertEquals(new String(first, java.nio.charset.StandardCharsets.UTF_8), Files.readString(file), format.toString());
    }
  }

  @Test
  void jsonToEdnAndBackKeepsANemesisString() throws Exception {
    List<Op> ops = List.of(Op.info(Op.NEMESIS, "start", null), Op.invoke(3L, "read", null));
    String edn = Histories.toString(ops, Format.EDN);
    assertEquals("{:type :info, :f :start, :value nil, :process :nemesis}\n"
        + "{:type :invoke, :f :read, :value nil, :process 3}\n", edn);
    List<Op> fromEdn = Histories.parse(edn, Format.EDN, "x.edn");
    assertEquals(new Keyword("nemesis"), fromEdn.get(0).process());
    String json = Histories.toString(fromEdn, Format.JSONL);
    assertEquals("{\"type\":\"info\",\"f\":\"start\",\"value\":null,\"process\":\"nemesis\"}\n"
        + "{\"type\":\"invoke\",\"f\":\"read\",\"value\":null,\"process\":3}\n", json);
    assertEquals(ops, Histories.parse(json, Format.JSONL, "x.jsonl"));
  }
}
