package dev.lockstep.histories.format;

import static dev.lockstep.histories.format.OpAssembler.ERROR;
import static dev.lockstep.histories.format.OpAssembler.F;
import static dev.lockstep.histories.format.OpAssembler.INDEX;
import static dev.lockstep.histories.format.OpAssembler.KEY;
import static dev.lockstep.histories.format.OpAssembler.PROCESS;
import static dev.lockstep.histories.format.OpAssembler.TIME;
import static dev.lockstep.histories.format.OpAssembler.TYPE;
import static dev.lockstep.histories.format.OpAssembler.VALUE;

import dev.lockstep.histories.Op;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans one line of JSON Lines straight from UTF-8 bytes into an {@link Op}, for the common case
 * only: no string escapes, integers of at most {@value #DIGITS_MAX} digits, no floats, shallow
 * nesting. It builds exactly the op {@link JsonlLine} builds from such a line; anything else it
 * rejects (returns null), and the caller lets {@link JsonlLine} judge the line, so no malformed
 * line is ever accepted and every error message comes from the strict path. Repeated short strings
 * come from one {@link StringCache}, so a scanner is not thread-safe.
 */
final class OpLineScanner {
  /** Digits of the longest integer scanned here; longer ones may not fit a long. */
  static final int DIGITS_MAX = 18;
  /** Nesting of values scanned here; Jackson's own limit is far deeper. */
  static final int DEPTH_MAX = 64;
  /** Bytes of the longest string scanned here; Jackson's own limits are far longer. */
  static final int STRING_BYTES_MAX = 1 << 16;
  /** The result of a blank line (spaces and tabs only). */
  static final Op BLANK = Op.info(null, null, null);

  private static final int LIST_CAPACITY_FIRST = 16;
  private static final byte[][] TYPE_LABELS = {
    "invoke".getBytes(StandardCharsets.US_ASCII), "ok".getBytes(StandardCharsets.US_ASCII),
    "fail".getBytes(StandardCharsets.US_ASCII), "info".getBytes(StandardCharsets.US_ASCII)
  };
  private static final Op.Type[] TYPES = {Op.Type.INVOKE, Op.Type.OK, Op.Type.FAIL, Op.Type.INFO};

  /** Control flow for a line the strict path must judge; preallocated, without a stack trace. */
  private static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    static final Rejected INSTANCE = new Rejected();

    private Rejected() {
      super("left to the strict path", null, false, false);
    }
  }

  private final StringCache strings = new StringCache();
  private final SmallValues small = new SmallValues();
  /** Elements of the lists being scanned, innermost last; grows with the longest list. */
  private Object[] items = new Object[LIST_CAPACITY_FIRST];
  private int itemsTop;
  private byte[] b;
  private int i;
  private int limit;
  /** Where the string last scanned starts and ends, and whether it is all ASCII. */
  private int stringStart;
  private int stringEnd;
  private boolean stringAscii;

  /**
   * The op on the line that starts at {@code start} and ends at the first line break before {@code
   * limit} (or at {@code limit}); {@link #BLANK} for a blank line; null when the strict path must
   * judge the line. After a non-null result, {@link #next()} is where the following line starts.
   */
  Op scan(byte[] bytes, int start, int limit) {
    this.b = bytes;
    this.i = start;
    this.limit = limit;
    try {
      skipSpaces();
      if (atLineEnd()) {
        skipBreak();
        return BLANK;
      }
      expect('{');
      Op op = op();
      skipSpaces();
      if (!atLineEnd()) {
        return null;
      }
      skipBreak();
      return op;
    } catch (Rejected e) {
      return null;
    }
  }

  /** The start of the line after the one last scanned. */
  int next() {
    return i;
  }

  private Op op() throws Rejected {
    int seen = 0;
    Op.Type type = null;
    String f = null;
    Object value = null;
    Object process = null;
    long time = Op.ABSENT;
    long index = Op.ABSENT;
    Object error = null;
    Object key = null;
    Map<String, Object> extra = null;
    skipSpaces();
    if (peek() == '}') {
      throw Rejected.INSTANCE; // an op has a type
    }
    do {
      skipSpaces();
      expect('"');
      scanString();
      int nameStart = stringStart;
      int nameLength = stringEnd - stringStart;
      colon();
      int bit = coreBit(nameStart, nameLength);
      if ((seen & bit) != 0) {
        throw Rejected.INSTANCE;
      }
      seen |= bit;
      switch (bit) {
        case TYPE -> type = type();
        case F -> f = stringOrNull();
        case VALUE -> value = value(0);
        case PROCESS -> process = process();
        case TIME -> time = integer();
        case INDEX -> index = integer();
        case ERROR -> error = value(0);
        case KEY -> key = value(0);
        default -> {
          String name = lastString(nameStart);
          extra = extra == null ? new LinkedHashMap<>() : extra;
          if (extra.containsKey(name)) {
            throw Rejected.INSTANCE;
          }
          extra.put(name, value(0));
        }
      }
      skipSpaces();
    } while (comma());
    expect('}');
    if (type == null) {
      throw Rejected.INSTANCE;
    }
    return new Op(index, type, f, value, process, time, error, key, extra == null ? Map.of() : Collections.unmodifiableMap(extra));
  }

  /** The bit of a core field named by {@code b[at, at + length)}, or 0 for another name. */
  private int coreBit(int at, int length) {
    return switch (length) {
      case 1 -> b[at] == 'f' ? F : 0;
      case 3 -> is(at, "key") ? KEY : 0;
      case 4 -> is(at, "type") ? TYPE : is(at, "time") ? TIME : 0;
      case 5 -> is(at, "value") ? VALUE : is(at, "index") ? INDEX : is(at, "error") ? ERROR : 0;
      case 7 -> is(at, "process") ? PROCESS : 0;
      default -> 0;
    };
  }

  private boolean is(int at, String name) {
    for (int k = 0; k < name.length(); k++) {
      if (b[at + k] != name.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private Op.Type type() throws Rejected {
    expect('"');
    scanString();
    int length = stringEnd - stringStart;
    // TRICKY: one label per length, but fail and info; a comparison loop per label was slower.
    int t = switch (length) {
      case 6 -> 0;
      case 2 -> 1;
      case 4 -> b[stringStart] == 'f' ? 2 : 3;
      default -> throw Rejected.INSTANCE;
    };
    byte[] label = TYPE_LABELS[t];
    for (int k = 0; k < length; k++) {
      if (b[stringStart + k] != label[k]) {
        throw Rejected.INSTANCE;
      }
    }
    return TYPES[t];
  }

  private String stringOrNull() throws Rejected {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    expect('"');
    scanString();
    return lastString(stringStart);
  }

  private Object process() throws Rejected {
    return switch (peek()) {
      case 'n' -> {
        literal("null");
        yield null;
      }
      case '"' -> {
        i++;
        scanString();
        yield lastString(stringStart);
      }
      default -> small.box(integer());
    };
  }

  private long integer() throws Rejected {
    long n = digits();
    if (isFraction()) {
      throw Rejected.INSTANCE;
    }
    return n;
  }

  private Object value(int depth) throws Rejected {
    byte c = peek();
    switch (c) {
      case '"' -> {
        i++;
        scanString();
        return lastString(stringStart);
      }
      case '[' -> {
        i++;
        return list(depth + 1);
      }
      case '{' -> {
        i++;
        return map(depth + 1);
      }
      case 'n' -> {
        literal("null");
        return null;
      }
      case 't' -> {
        literal("true");
        return Boolean.TRUE;
      }
      case 'f' -> {
        literal("false");
        return Boolean.FALSE;
      }
      default -> {
        long n = digits();
        if (isFraction()) {
          throw Rejected.INSTANCE;
        }
        return small.box(n);
      }
    }
  }

  private List<Object> list(int depth) throws Rejected {
    if (depth > DEPTH_MAX) {
      throw Rejected.INSTANCE;
    }
    skipSpaces();
    if (peek() == ']') {
      i++;
      return SmallValues.list(items, 0, 0);
    }
    // TRICKY: elements go on one stack shared by all nesting levels, so no list is built twice.
    int base = itemsTop;
    try {
      do {
        skipSpaces();
        Object item = value(depth);
        if (itemsTop == items.length) {
          items = Arrays.copyOf(items, items.length * 2);
        }
        items[itemsTop++] = item;
        skipSpaces();
      } while (comma());
      expect(']');
      return SmallValues.list(items, base, itemsTop);
    } finally {
      Arrays.fill(items, base, itemsTop, null);
      itemsTop = base;
    }
  }

  private Map<String, Object> map(int depth) throws Rejected {
    if (depth > DEPTH_MAX) {
      throw Rejected.INSTANCE;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    skipSpaces();
    if (peek() == '}') {
      i++;
      return Collections.unmodifiableMap(map);
    }
    do {
      skipSpaces();
      expect('"');
      scanString();
      String name = lastString(stringStart);
      colon();
      if (map.containsKey(name)) {
        throw Rejected.INSTANCE;
      }
      map.put(name, value(depth));
      skipSpaces();
    } while (comma());
    expect('}');
    return Collections.unmodifiableMap(map);
  }

  /**
   * Scans the rest of a string whose opening quote is behind {@link #i}, leaving {@link #i} after
   * the closing quote. Escapes and control characters are left to the strict path.
   */
  private void scanString() throws Rejected {
    int start = i;
    int bits = 0;
    int end = Math.min(limit, start + STRING_BYTES_MAX);
    for (int k = start; k < end; k++) {
      byte c = b[k];
      if (c == '"') {
        stringStart = start;
        stringEnd = k;
        stringAscii = bits >= 0;
        i = k + 1;
        return;
      }
      if (c == '\\' || (c >= 0 && c < 0x20)) {
        throw Rejected.INSTANCE;
      }
      bits |= c;
    }
    throw Rejected.INSTANCE;
  }

  /** The string last scanned, which starts at {@code start}. */
  private String lastString(int start) {
    return stringAscii
        ? strings.ascii(b, start, stringEnd)
        : new String(b, start, stringEnd - start, StandardCharsets.UTF_8);
  }

  /** A JSON integer: an optional minus, then 0 or digits without a leading zero. */
  private long digits() throws Rejected {
    boolean negative = peek() == '-';
    if (negative) {
      i++;
    }
    int start = i;
    byte[] bytes = b;
    int end = Math.min(limit, start + DIGITS_MAX + 1);
    int k = start;
    long n = 0;
    while (k < end && bytes[k] >= '0' && bytes[k] <= '9') {
      n = n * 10 + (bytes[k] - '0');
      k++;
    }
    i = k;
    int count = k - start;
    if (count == 0 || count > DIGITS_MAX || (count > 1 && bytes[start] == '0')) {
      throw Rejected.INSTANCE;
    }
    return negative ? -n : n;
  }

  private boolean isFraction() {
    return i < limit && (b[i] == '.' || b[i] == 'e' || b[i] == 'E');
  }

  private void literal(String word) throws Rejected {
    for (int k = 0; k < word.length(); k++) {
      if (i >= limit || b[i] != word.charAt(k)) {
        throw Rejected.INSTANCE;
      }
      i++;
    }
  }

  private void colon() throws Rejected {
    skipSpaces();
    expect(':');
    skipSpaces();
  }

  private boolean comma() {
    if (i < limit && b[i] == ',') {
      i++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws Rejected {
    if (i >= limit || b[i] != c) {
      throw Rejected.INSTANCE;
    }
    i++;
  }

  private byte peek() throws Rejected {
    if (i >= limit) {
      throw Rejected.INSTANCE;
    }
    return b[i];
  }

  /** Spaces and tabs only: any other whitespace is a line break or an error. */
  private void skipSpaces() {
    while (i < limit && (b[i] == ' ' || b[i] == '\t')) {
      i++;
    }
  }

  private boolean atLineEnd() {
    return i >= limit || b[i] == '\n' || b[i] == '\r';
  }

  private void skipBreak() {
    if (i < limit) {
      i += b[i] == '\r' && i + 1 < limit && b[i + 1] == '\n' ? 2 : 1;
    }
  }
}
