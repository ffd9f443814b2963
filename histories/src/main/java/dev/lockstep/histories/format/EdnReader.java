package dev.lockstep.histories.format;

import dev.lockstep.histories.EdnList;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.HistoryReader;
import dev.lockstep.histories.Keyword;
import dev.lockstep.histories.Op;
import dev.lockstep.histories.Symbol;
import dev.lockstep.histories.Tagged;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads EDN as Jepsen and Knossos write it: a history is either a stream of op maps or one vector
 * (or list) of op maps, with {@code ;} comments and commas as whitespace. Values may be nil,
 * booleans, integers (a {@link Long}, or a {@link BigInteger} when too large or written with
 * {@code N}), floats ({@link Double}, or {@link BigDecimal} with {@code M}), strings, characters,
 * keywords, symbols, vectors ({@link List}), lists ({@link EdnList}), maps, sets and tagged
 * elements ({@link Tagged}); {@code #_} discards the next element. Every error names the line and
 * column. Not thread-safe.
 */
public final class EdnReader implements HistoryReader {
  private static final int BUFFER_CHARS = 1 << 16;
  private static final int KEYWORD_CACHE_ENTRIES_MAX = 4096;
  private static final int NESTING_DEPTH_MAX = 1000;
  private static final int EOF = -1;
  private static final Pattern INTEGER = Pattern.compile("[+-]?(0|[1-9][0-9]*)N?");
  private static final Pattern HEX = Pattern.compile("[+-]?0[xX][0-9a-fA-F]+");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(0|[1-9][0-9]*)(\\.[0-9]*)?([eE][+-]?[0-9]+)?M?");
  private static final String NAME_CHARS = "*+!-_?<>=.$%&'#:/";

  private final Reader in;
  private final String source;
  private final char[] buf = new char[BUFFER_CHARS];
  private final Map<String, Keyword> keywords = new HashMap<>();
  private final StringBuilder token = new StringBuilder();
  private int pos;
  private int limit;
  private int line = 1;
  private int column = 1;
  private boolean started;
  private int closer;
  private int openLine;
  private int openColumn;
  private boolean done;

  /** A reader of {@code in}; {@code source} names it in error messages. */
  public EdnReader(Reader in, String source) {
    this.in = in;
    this.source = source;
  }

  @Override
  public Op next() throws IOException {
    if (done) {
      return null;
    }
    if (!started) {
      start();
    }
    skipWhitespace();
    int c = peek();
    if (closer != 0) {
      if (c == EOF) {
        throw error(openLine, openColumn, "unterminated " + collectionName(closer) + " of ops: end of input reached at " + line + ":" + column);
      }
      if (c == closer) {
        read();
        expectEnd();
        return null;
      }
    } else if (c == EOF) {
      done = true;
      return null;
    }
    return readOp();
  }

  /**
   * Reads the next single EDN element, or returns {@code end} when the input has no more. For
   * reading EDN that is not a history (a results file, say).
   */
  public Object readElement(Object end) throws IOException {
    skipWhitespace();
    if (peek() == EOF) {
      return end;
    }
    return readValue(0);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private void start() throws IOException {
    started = true;
    skipWhitespace();
    int c = peek();
    if (c == '[' || c == '(') {
      openLine = line;
      openColumn = column;
      read();
      closer = c == '[' ? ']' : ')';
    }
  }

  private void expectEnd() throws IOException {
    skipWhitespace();
    if (peek() != EOF) {
      throw error(line, column, "unexpected content after the history's closing '" + (char) closer + "'");
    }
    done = true;
  }

  private Op readOp() throws IOException {
    int l = line;
    int c = column;
    int ch = peek();
    if (ch == '#' && isSymbolStart(peekSecond())) {
      // TRICKY: a record literal such as #jepsen.history.Op{...} is an op map with a type tag.
      read();
      readToken();
      skipWhitespace();
      ch = peek();
    }
    if (ch != '{') {
      String found = ch == EOF ? "end of input" : "'" + (char) ch + "'";
      throw error(l, c, "expected an op map starting with '{', found " + found);
    }
    return readOpMap(line, column);
  }

  private Op readOpMap(int l, int c) throws IOException {
    read();
    OpAssembler op = new OpAssembler(source, true, l, c);
    while (true) {
      skipWhitespace();
      int ch = peek();
      if (ch == EOF) {
        throw error(l, c, "unterminated map: end of input reached at " + line + ":" + column);
      }
      if (ch == '}') {
        read();
        return op.build();
      }
      int keyLine = line;
      int keyColumn = column;
      Object key = readValue(1);
      skipWhitespace();
      ch = peek();
      if (ch == '}' || ch == EOF) {
        throw error(keyLine, keyColumn, "map key has no value");
      }
      int valueLine = line;
      int valueColumn = column;
      Object value = readValue(1);
      op.put(key, keyLine, keyColumn, value, valueLine, valueColumn);
    }
  }

  private Object readValue(int depth) throws IOException {
    if (depth > NESTING_DEPTH_MAX) {
      throw error(line, column, "nesting deeper than " + NESTING_DEPTH_MAX);
    }
    int l = line;
    int c = column;
    int ch = read();
    return switch (ch) {
      case EOF -> throw error(l, c, "unexpected end of input");
      case '"' -> readString(l, c);
      case '[' -> readVector(']', l, c, depth);
      case '(' -> new EdnList(readVector(')', l, c, depth));
      case '{' -> readMap(l, c, depth);
      case '#' -> readDispatch(l, c, depth);
      case '\\' -> readChar(l, c);
      case ')', ']', '}' -> throw error(l, c, "unexpected '" + (char) ch + "'");
      default -> readAtom((char) ch, l, c);
    };
  }

  private List<Object> readVector(char close, int l, int c, int depth) throws IOException {
    List<Object> items = new ArrayList<>();
    while (true) {
      skipWhitespace();
      int ch = peek();
      if (ch == EOF) {
        throw error(l, c, "unterminated " + collectionName(close) + ": end of input reached at " + line + ":" + column);
      }
      if (ch == close) {
        read();
        return Collections.unmodifiableList(items);
      }
      if (ch == ')' || ch == ']' || ch == '}') {
        throw error(line, column, "expected '" + close + "' to close the " + collectionName(close) + " opened at " + l + ":" + c + ", found '" + (char) ch + "'");
      }
      items.add(readValue(depth + 1));
    }
  }

  private Map<Object, Object> readMap(int l, int c, int depth) throws IOException {
    Map<Object, Object> map = new LinkedHashMap<>();
    while (true) {
      skipWhitespace();
      int ch = peek();
      if (ch == EOF) {
        throw error(l, c, "unterminated map: end of input reached at " + line + ":" + column);
      }
      if (ch == '}') {
        read();
        return Collections.unmodifiableMap(map);
      }
      int keyLine = line;
      int keyColumn = column;
      Object key = readValue(depth + 1);
      skipWhitespace();
      ch = peek();
      if (ch == '}' || ch == EOF) {
        throw error(keyLine, keyColumn, "map key has no value");
      }
      if (map.containsKey(key)) {
        throw error(keyLine, keyColumn, "duplicate map key " + Values.describe(key));
      }
      map.put(key, readValue(depth + 1));
    }
  }

  private Object readDispatch(int l, int c, int depth) throws IOException {
    int ch = peek();
    if (ch == '{') {
      read();
      List<Object> items = readVector('}', l, c, depth);
      Set<Object> set = new LinkedHashSet<>();
      for (Object item : items) {
        if (!set.add(item)) {
          throw error(l, c, "duplicate set element " + Values.describe(item));
        }
      }
      return Collections.unmodifiableSet(set);
    }
    if (ch == '#') {
      read();
      String name = readToken();
      return switch (name) {
        case "NaN" -> Double.NaN;
        case "Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> throw error(l, c, "unknown symbolic value ##" + name);
      };
    }
    if (ch != EOF && isSymbolStart(ch)) {
      String tag = readToken();
      skipWhitespace();
      if (peek() == EOF) {
        throw error(l, c, "tag #" + tag + " has no element");
      }
      return new Tagged(tag, readValue(depth + 1));
    }
    String found = ch == EOF ? "end of input" : "'" + (char) ch + "'";
    throw error(l, c, "bad dispatch '#' followed by " + found);
  }

  private String readString(int l, int c) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int ch = read();
      if (ch == EOF) {
        throw error(l, c, "unterminated string: end of input reached at " + line + ":" + column);
      }
      if (ch == '"') {
        return sb.toString();
      }
      if (ch == '\\') {
        sb.append(readEscape());
      } else {
        sb.append((char) ch);
      }
    }
  }

  private char readEscape() throws IOException {
    int l = line;
    int c = column - 1;
    int ch = read();
    return switch (ch) {
      case 't' -> '\t';
      case 'r' -> '\r';
      case 'n' -> '\n';
      case 'b' -> '\b';
      case 'f' -> '\f';
      case '\\' -> '\\';
      case '"' -> '"';
      case 'u' -> readHex4(l, c);
      default -> throw error(l, c, "bad string escape '\\" + (ch == EOF ? "" : String.valueOf((char) ch)) + "'");
    };
  }

  private char readHex4(int l, int c) throws IOException {
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(read(), 16);
      if (d < 0) {
        throw error(l, c, "bad unicode escape: expected four hex digits after \\u");
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  private Character readChar(int l, int c) throws IOException {
    int first = read();
    if (first == EOF) {
      throw error(l, c, "character literal '\\' has no character");
    }
    StringBuilder sb = new StringBuilder().append((char) first);
    while (!isDelimiter(peek())) {
      sb.append((char) read());
    }
    String name = sb.toString();
    if (name.length() == 1) {
      return name.charAt(0);
    }
    return switch (name) {
      case "newline" -> '\n';
      case "space" -> ' ';
      case "tab" -> '\t';
      case "return" -> '\r';
      case "formfeed" -> '\f';
      case "backspace" -> '\b';
      default -> unicodeChar(name, l, c);
    };
  }

  private char unicodeChar(String name, int l, int c) throws HistoryFormatException {
    if (name.length() == 5 && name.charAt(0) == 'u') {
      try {
        return (char) Integer.parseInt(name.substring(1), 16);
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw error(l, c, "bad character literal \\" + name);
  }

  private Object readAtom(char first, int l, int c) throws IOException {
    token.setLength(0);
    token.append(first);
    while (!isDelimiter(peek())) {
      token.append((char) read());
    }
    String text = token.toString();
    if (first == ':') {
      return keyword(text, l, c);
    }
    if (Character.isDigit(first) || ((first == '+' || first == '-') && text.length() > 1 && Character.isDigit(text.charAt(1)))) {
      return number(text, l, c);
    }
    return switch (text) {
      case "nil" -> null;
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> symbol(text, l, c);
    };
  }

  private Keyword keyword(String text, int l, int c) throws HistoryFormatException {
    String name = text.substring(1);
    if (!isKeywordName(name)) {
      throw error(l, c, "bad keyword '" + text + "'");
    }
    Keyword k = keywords.get(name);
    if (k == null) {
      k = new Keyword(name);
      if (keywords.size() < KEYWORD_CACHE_ENTRIES_MAX) {
        keywords.put(name, k);
      }
    }
    return k;
  }

  private Symbol symbol(String text, int l, int c) throws HistoryFormatException {
    if (!text.equals("/") && !isSymbolName(text)) {
      throw error(l, c, "bad symbol '" + text + "'");
    }
    return new Symbol(text);
  }

  private Object number(String text, int l, int c) throws HistoryFormatException {
    Long small = smallLong(text);
    if (small != null) {
      return small;
    }
    try {
      if (INTEGER.matcher(text).matches()) {
        if (text.endsWith("N")) {
          return new BigInteger(text.substring(0, text.length() - 1));
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      if (HEX.matcher(text).matches()) {
        boolean negative = text.charAt(0) == '-';
        int start = text.charAt(0) == '+' || negative ? 3 : 2;
        BigInteger big = new BigInteger(text.substring(start), 16);
        big = negative ? big.negate() : big;
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
      }
      if (FLOAT.matcher(text).matches()) {
        return text.endsWith("M")
            ? new BigDecimal(text.substring(0, text.length() - 1))
            : (Object) Double.parseDouble(text);
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw error(l, c, "bad number '" + text + "'");
  }

  /** The common case, a decimal integer of at most 18 digits without leading zeros, or null. */
  private static Long smallLong(String text) {
    int i = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
    int digits = text.length() - i;
    if (digits < 1 || digits > 18 || (text.charAt(i) == '0' && digits > 1)) {
      return null;
    }
    long v = 0;
    for (; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch < '0' || ch > '9') {
        return null;
      }
      v = v * 10 + (ch - '0');
    }
    return text.charAt(0) == '-' ? -v : v;
  }

  /** True when {@code name} reads back, after a ':', as the keyword of that name. */
  public static boolean isKeywordName(String name) {
    if (name.isEmpty() || name.charAt(0) == ':' || name.charAt(0) == '/' || name.endsWith("/") || name.endsWith(":")) {
      return false;
    }
    int slashes = 0;
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '/') {
        slashes++;
      }
      if (!isNameChar(ch)) {
        return false;
      }
    }
    return slashes <= 1;
  }

  /** True when {@code name} reads back as the symbol of that name. */
  public static boolean isSymbolName(String name) {
    if (name.isEmpty() || !isSymbolStart(name.charAt(0)) || name.equals("nil") || name.equals("true") || name.equals("false")) {
      return false;
    }
    if ((name.charAt(0) == '+' || name.charAt(0) == '-' || name.charAt(0) == '.') && name.length() > 1 && Character.isDigit(name.charAt(1))) {
      return false;
    }
    return isKeywordName(name);
  }

  private static boolean isSymbolStart(int ch) {
    return ch != EOF && ch != ':' && ch != '#' && !Character.isDigit(ch) && isNameChar((char) ch);
  }

  private static boolean isNameChar(char ch) {
    return (ch < 128 && Character.isLetterOrDigit(ch)) || NAME_CHARS.indexOf(ch) >= 0 || (ch >= 128 && Character.isLetterOrDigit(ch));
  }

  private String readToken() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!isDelimiter(peek())) {
      sb.append((char) read());
    }
    return sb.toString();
  }

  private void skipWhitespace() throws IOException {
    while (true) {
      int ch = peek();
      if (ch == ',' || (ch != EOF && Character.isWhitespace(ch))) {
        read();
      } else if (ch == ';') {
        while (peek() != '\n' && peek() != EOF) {
          read();
        }
      } else if (ch == '#' && peekSecond() == '_') {
        int l = line;
        int c = column;
        read();
        read();
        skipWhitespace();
        if (peek() == EOF) {
          throw error(l, c, "#_ discards nothing: end of input");
        }
        readValue(1);
      } else {
        return;
      }
    }
  }

  private static boolean isDelimiter(int ch) {
    return switch (ch) {
      case EOF, ',', '(', ')', '[', ']', '{', '}', '"', ';' -> true;
      default -> Character.isWhitespace(ch);
    };
  }

  private static String collectionName(int close) {
    return switch (close) {
      case ']' -> "vector";
      case ')' -> "list";
      default -> "set";
    };
  }

  private int peek() throws IOException {
    if (pos >= limit && !fill()) {
      return EOF;
    }
    return buf[pos];
  }

  private int peekSecond() throws IOException {
    if (pos + 1 >= limit) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
      while (limit < 2) {
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
          return EOF;
        }
        limit += n;
      }
    }
    return buf[pos + 1];
  }

  private int read() throws IOException {
    if (pos >= limit && !fill()) {
      return EOF;
    }
    char ch = buf[pos++];
    if (ch == '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    return ch;
  }

  private boolean fill() throws IOException {
    pos = 0;
    limit = 0;
    int n;
    do {
      n = in.read(buf, 0, buf.length);
    } while (n == 0);
    if (n < 0) {
      return false;
    }
    limit = n;
    return true;
  }

  private HistoryFormatException error(int l, int c, String reason) {
    return new HistoryFormatException(source, l, c, reason);
  }
}
