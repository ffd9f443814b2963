package dev.lockstep.histories.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.Op;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The block-parsing {@link JsonlReader} against the rule it must follow, a reader that parses
 * every line on its own: on random histories and random corruptions of them, both return the
 * same ops (fields in the same order) and then fail with the same message, or both succeed.
 */
class JsonlReaderDifferentialTest {
  private static final long SEED = 0x15_0DD5L;
  private static final int CASES = 2500;
  private static final int LINES_MAX = 8;
  private static final int[] BLOCK_BYTES = {1, 7, 64, JsonlReader.BLOCK_BYTES};
  private static final String SOURCE = "h.jsonl";
  private static final String[] NAMES = {"type", "f", "value", "process", "time", "index", "error", "key", "x", "y z", "é"};
  private static final String[] INSERTS = {
    "{", "}", "[", "]", "\"", ":", ",", "\n", "\r", "\r\n", "\t", " ", "\0", "\u000b", "\u00a0", "\ufeff",
    "\u2028", "x", "1", "-", ".5", "\"f\":\"a\",", "{\"type\":\"ok\"}", "null", "\"type\":\"info\",", "1e5",
    "99999999999999999999", "\"index\":-9223372036854775808,", "\\u0000", "\\ud800", "\"\\n\"", "\n\n  \n",
    "0", "-0", "00", "\\", "\\\"", "\u007f", "\u0001", "e", ".", "\"\"", "[]", "{}", "true", "fals"
  };
  private static final byte[][] BAD_BYTES = {{(byte) 0xe9}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};

  /** Ops read (as text, which shows the order of map entries) and the error that ended reading. */
  private record Outcome(List<String> ops, String error) {}

  @Test
  void blockReaderAgreesWithReadingEveryLineAlone() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    int failures = 0;
    for (int c = 0; c < CASES; c++) {
      byte[] bytes = mutate(history(random), random);
      String text = strictUtf8(bytes);
      Outcome expected = text == null ? new Outcome(List.of(), SOURCE + ": not UTF-8 text") : lineByLine(text);
      String shown = new String(bytes, StandardCharsets.UTF_8);
      failures += expected.error() == null ? 0 : 1;
      for (int block : BLOCK_BYTES) {
        if (text != null || block == JsonlReader.BLOCK_BYTES) {
          assertEquals(expected, read(new JsonlReader(new ByteArrayInputStream(bytes), SOURCE, block)), () -> "block " + block + ", input:\n" + shown);
        }
      }
      if (text != null) {
        assertEquals(expected, read(new JsonlReader(new StringReader(text), SOURCE)), () -> "from chars, input:\n" + shown);
      }
      for (int block : BLOCK_BYTES) {
        if (text != null || block == JsonlReader.BLOCK_BYTES) {
          assertEquals(expected.error() == null ? expected : new Outcome(List.of(), expected.error()),
              readAll(bytes, block), () -> "all at once, block " + block + ", input:\n" + shown);
        }
      }
    }
    // Both kinds of input must be well represented, or the test proves little.
    int fails = failures;
    assertEquals(true, fails > CASES / 5 && fails < CASES * 4 / 5, () -> fails + " of " + CASES + " cases failed");
  }

  private static Outcome read(JsonlReader r) {
    List<String> ops = new ArrayList<>();
    try (r) {
      for (Op op = r.next(); op != null; op = r.next()) {
        ops.add(op.toString());
      }
      return new Outcome(ops, null);
    } catch (IOException e) {
      return new Outcome(ops, e.getMessage());
    }
  }

  private static Outcome readAll(byte[] bytes, int block) {
    try {
      return new Outcome(JsonlReader.readAll(new ByteArrayInputStream(bytes), SOURCE, block).stream().map(Op::toString).toList(), null);
    } catch (IOException e) {
      return new Outcome(List.of(), e.getMessage());
    }
  }

  /** The reference: what the reader did before it parsed blocks. */
  private static Outcome lineByLine(String text) {
    List<String> ops = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new StringReader(text))) {
      int number = 0;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        number++;
        if (!line.isBlank()) {
          ops.add(JsonlLine.parse(line, SOURCE, number).toString());
        }
      }
      return new Outcome(ops, null);
    } catch (IOException e) {
      return new Outcome(ops, e.getMessage());
    }
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String history(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int lines = random.nextInt(LINES_MAX + 1);
    for (int i = 0; i < lines; i++) {
      switch (random.nextInt(12)) {
        case 0 -> s.append(random.nextBoolean() ? "" : " \t ");
        case 1 -> s.append("{\"type\":\"ok\",\"f\":\"read\",\"value\":").append(random.nextInt(5)).append(",\"process\":").append(random.nextInt(3)).append('}');
        default -> s.append(op(random));
      }
      s.append(random.nextInt(8) == 0 ? "\r\n" : random.nextInt(16) == 0 ? "\r" : "\n");
    }
    if (random.nextInt(4) == 0 && s.length() > 0) {
      s.setLength(s.length() - 1);
    }
    return s.toString();
  }

  private static String op(SplittableRandom random) {
    List<String> fields = new ArrayList<>();
    fields.add("\"type\":\"" + new String[] {"invoke", "ok", "fail", "info"}[random.nextInt(4)] + "\"");
    for (String name : NAMES) {
      if (!name.equals("type") && random.nextInt(3) == 0) {
        fields.add(string(name) + ":" + field(name, random));
      }
    }
    java.util.Collections.shuffle(fields, new java.util.Random(random.nextLong()));
    String gap = random.nextInt(4) == 0 ? " " : "";
    return "{" + gap + String.join("," + gap, fields) + gap + "}";
  }

  private static String field(String name, SplittableRandom random) {
    return switch (name) {
      case "f" -> random.nextBoolean() ? "\"cas\"" : "null";
      case "process" -> random.nextBoolean() ? String.valueOf(random.nextInt(50)) : "\"nemesis\"";
      case "time", "index" -> String.valueOf(random.nextLong(-1, Long.MAX_VALUE));
      default -> value(random, 0);
    };
  }

  private static String value(SplittableRandom random, int depth) {
    int kinds = depth >= 2 ? 6 : 8;
    return switch (random.nextInt(kinds)) {
      case 0 -> "null";
      case 1 -> random.nextBoolean() ? "true" : "false";
      case 2 -> String.valueOf(random.nextLong());
      case 3 -> random.nextBoolean() ? "18446744073709551616" : "-2.5e3";
      case 4, 5 -> string(new String[] {"a", "read", "\u00e9\u4e2d", "tab\there", "q\"uote", "\ud83d\ude00", "long string of more than thirty-two characters"}[random.nextInt(7)]);
      case 6 -> {
        List<String> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(value(random, depth + 1));
        }
        yield "[" + String.join(",", items) + "]";
      }
      default -> {
        List<String> entries = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          entries.add(string(NAMES[random.nextInt(NAMES.length)]) + ":" + value(random, depth + 1));
        }
        yield "{" + String.join(",", entries) + "}";
      }
    };
  }

  private static String string(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
  }

  private static byte[] mutate(String text, SplittableRandom random) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int m = random.nextInt(4); m > 0; m--) {
      int at = random.nextInt(bytes.length + 1);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(bytes, 0, at);
      switch (random.nextInt(5)) {
        case 0 -> at = bytes.length; // truncate
        case 1 -> at = Math.min(bytes.length, at + 1 + random.nextInt(5)); // delete
        case 2 -> out.writeBytes(BAD_BYTES[random.nextInt(BAD_BYTES.length)]);
        default -> out.writeBytes(INSERTS[random.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8));
      }
      out.write(bytes, at, bytes.length - at);
      bytes = out.toByteArray();
    }
    return bytes;
  }

  @Test
  void aNulOrByteOrderMarkAtTheStartIsJudgedAsAlone() throws Exception {
    byte[] bom = "\ufeff{\"type\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(lineByLine(new String(bom, StandardCharsets.UTF_8)), read(new JsonlReader(new ByteArrayInputStream(bom), SOURCE)));
    byte[] nul = "\0{\"type\":\"ok\"}\n".getBytes(StandardCharsets.UTF_8);
    Outcome o = read(new JsonlReader(new ByteArrayInputStream(nul), SOURCE));
    assertEquals(lineByLine(new String(nul, StandardCharsets.UTF_8)), o);
    assertEquals(true, o.error() != null && o.error().startsWith(SOURCE + ":1:"), o.toString());
  }

  @Test
  void tooLongALineIsAnErrorNotAnEndlessBuffer() {
    HistoryFormatException e = org.junit.jupiter.api.Assertions.assertThrows(HistoryFormatException.class,
        () -> new JsonlReader(new EndlessLine(), SOURCE).next());
    HistoryFormatException all = org.junit.jupiter.api.Assertions.assertThrows(HistoryFormatException.class,
        () -> JsonlReader.readAll(new EndlessLine(), SOURCE));
    assertEquals(e.getMessage(), all.getMessage());
    assertEquals(SOURCE + ":1:1: line longer than " + (LineBlocks.LINE_BYTES_MAX >> 20) + " MiB", e.getMessage());
  }

  /** Spaces without end. */
  private static final class EndlessLine extends java.io.InputStream {
    @Override
    public int read() {
      return ' ';
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) ' ');
      return len;
    }
  }
}
