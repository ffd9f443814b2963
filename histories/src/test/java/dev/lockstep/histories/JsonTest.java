package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  private static HistoryFormatException error(String text, Format format) {
    return assertThrows(HistoryFormatException.class, () -> Histories.parse(text, format, "h." + format.extension()));
  }

  @Test
  void readsJsonLinesWithTypesMapped() throws Exception {
    String text = "{\"type\":\"invoke\",\"f\":\"cas\",\"value\":[1,2],\"process\":3,\"time\":123,\"index\":7}\n"
        + "\n"
        + "{\"index\":8,\"type\":\"info\",\"f\":\"kill\",\"process\":\"nemesis\",\"value\":{\"n1\":1.5},\"big\":18446744073709551616}\n";
    List<Op> ops = Histories.parse(text, Format.JSONL, "h.jsonl");
    assertEquals(new Op(7, Op.Type.INVOKE, "cas", List.of(1L, 2L), 3L, 123, null, null, Map.of()), ops.get(0));
    Op nemesis = ops.get(1);
    assertTrue(nemesis.isNemesis());
    assertEquals(Map.of("n1", 1.5), nemesis.value());
    assertEquals(Map.of("big", new BigInteger("18446744073709551616")), nemesis.extra());
  }

  @Test
  void readsAnElleCliArrayAndAStreamOfObjects() throws Exception {
    String array = "[{\"type\":\"invoke\",\"f\":\"txn\",\"value\":[[\"append\",1,2],[\"r\",1,null]],\"process\":0,\"index\":0},\n"
        + " {\"type\":\"ok\",\"f\":\"txn\",\"value\":[[\"append\",1,2],[\"r\",1,[2]]],\"process\":0,\"index\":1}]";
    List<Op> ops = Histories.parse(array, Format.JSON, "h.json");
    assertEquals(2, ops.size());
    assertEquals(List.of(List.of("append", 1L, 2L), List.of("r", 1L, List.of(2L))), ops.get(1).value());
    assertEquals(2, Histories.parse("{\"type\":\"ok\"} {\"type\":\"fail\"}", Format.JSON, "s.json").size());
    assertEquals(0, Histories.parse("", Format.JSON, "e.json").size());
    assertEquals(0, Histories.parse("[]", Format.JSON, "e.json").size());
  }

  @Test
  void truncatedObjectInJsonLinesIsPlacedOnItsLine() {
    HistoryFormatException e = error("{\"type\":\"ok\"}\n{\"type\":\"invoke\",\"f\":\n{\"type\":\"ok\"}\n", Format.JSONL);
    assertEquals(2, e.line());
    assertTrue(e.column() >= 21, e.getMessage());
    assertTrue(e.getMessage().startsWith("h.jsonl:2:"), e.getMessage());
  }

  @Test
  void wrongTypeForIndexIsPlacedAtTheValue() {
    HistoryFormatException e = error("{\"type\":\"ok\"}\n{\"type\":\"ok\",\"index\":\"7\"}\n", Format.JSONL);
    assertEquals("h.jsonl:2:22: wrong type for \"index\": expected an integer, got string \"7\"", e.getMessage());
    HistoryFormatException a = error("[{\"type\":\"ok\"},\n {\"type\":\"ok\", \"index\": 1.0}]", Format.JSON);
    assertEquals("h.json:2:25: wrong type for \"index\": expected an integer, got number 1.0", a.getMessage());
  }

  @Test
  void otherMalformedJson() {
    assertEquals(1, error("{\"type\":\"ok\",\"value\":\"abc}\n", Format.JSONL).line());
    assertTrue(error("{\"type\":\"ok\"} {\"type\":\"ok\"}\n", Format.JSONL).reason().startsWith("more than one JSON value"));
    assertEquals("op has no \"type\"", error("{\"f\":\"read\"}", Format.JSONL).reason());
    assertTrue(error("{\"type\":\"ok\",\"f\":\"a\",\"f\":\"b\"}", Format.JSONL).reason().contains("Duplicate field 'f'"));
    assertTrue(error("[1]", Format.JSON).reason().startsWith("expected an op object"));
    HistoryFormatException truncated = error("[{\"type\":\"ok\"},\n {\"type\":", Format.JSON);
    assertEquals(2, truncated.line());
    assertTrue(error("\"x\"", Format.JSON).reason().startsWith("expected a JSON array of ops"));
    assertTrue(error("[{\"type\":\"ok\"}] 3", Format.JSON).reason().startsWith("unexpected content after the array"));
  }

  @Test
  void unknownExtensionAndMissingFileAreFormatErrors(@TempDir Path dir) throws Exception {
    Path txt = dir.resolve("h.txt");
    Files.writeString(txt, "");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Histories.read(txt));
    assertEquals(0, e.line());
    assertTrue(e.getMessage().startsWith(txt + ": cannot tell the history format"), e.getMessage());
    assertThrows(HistoryFormatException.class, () -> Histories.read(dir.resolve("missing.jsonl")));
    Path latin1 = dir.resolve("l.jsonl");
    Files.write(latin1, new byte[] {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xe9, '"', '}'});
    assertEquals(latin1 + ": not UTF-8 text", assertThrows(HistoryFormatException.class, () -> Histories.read(latin1)).getMessage());
    assertEquals(Format.JSONL, Format.parse("JSONL"));
    assertThrows(IllegalArgumentException.class, () -> Format.parse("yaml"));
  }
}
