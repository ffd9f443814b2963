package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FormatTest {
  @TempDir Path dir;

  @Test
  void theContentTellsWhenTheExtensionDoesNot() {
    assertEquals(Format.EDN, Format.sniff("{:process 0, :type :invoke}"));
    assertEquals(Format.EDN, Format.sniff("; a comment\n[{:process 0}]"));
    assertEquals(Format.EDN, Format.sniff("[{:process 0}]"));
    assertEquals(Format.EDN, Format.sniff("({:process 0})"));
    assertEquals(Format.JSONL, Format.sniff("  {\"type\":\"invoke\"}\n"));
    assertEquals(Format.JSON, Format.sniff("[ {\"type\":\"invoke\"}]"));
    assertEquals(Format.JSON, Format.sniff("[]"));
    assertNull(Format.sniff("INFO jepsen.util - 0 :invoke :read nil"));
    assertNull(Format.sniff(""));
  }

  @Test
  void detectPrefersTheExtension() throws IOException {
    Path edn = Files.writeString(dir.resolve("h.edn"), "{\"type\":\"invoke\"}\n");
    assertEquals(Format.EDN, Format.detect(edn));
    Path log = Files.writeString(dir.resolve("c01-ok.txt"), "{:process 0, :type :invoke, :f :get, :key \"6\", :value nil}\n");
    assertEquals(Format.EDN, Format.detect(log));
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello\n");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Format.detect(text));
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
    assertThrows(HistoryFormatException.class, () -> Format.detect(dir.resolve("missing.log")));
  }
}
