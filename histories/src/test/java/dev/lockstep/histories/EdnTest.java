package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EdnTest {
  private static List<Op> parse(String text) throws Exception {
    return Histories.parse(text, Format.EDN, "h.edn");
  }

  private static Object value(String edn) throws Exception {
    return parse("{:type :ok, :value " + edn + "}").get(0).value();
  }

  private static HistoryFormatException error(String text) {
    return assertThrows(HistoryFormatException.class, () -> parse(text));
  }

  @Test
  void readsTheOpShapeOfTheIssue() throws Exception {
    Op op = parse("{:type :invoke, :f :cas, :value [1 2], :process 3, :time 123, :index 7}").get(0);
    assertEquals(new Op(7, Op.Type.INVOKE, "cas", List.of(1L, 2L), 3L, 123, null, null, Map.of()), op);
  }

  @Test
  void readsScalars() throws Exception {
    assertEquals(null, value("nil"));
    assertEquals(true, value("true"));
    assertEquals(false, value("false"));
    assertEquals(-42L, value("-42"));
    assertEquals(42L, value("+42"));
    assertEquals(Long.MAX_VALUE, value("9223372036854775807"));
    assertEquals(new BigInteger("9223372036854775808"), value("9223372036854775808"));
    assertEquals(BigInteger.valueOf(3), value("3N"));
    assertEquals(255L, value("0xff"));
    assertEquals(1.5, value("1.5"));
    assertEquals(-1.0e10, value("-1e10"));
    assertEquals(new BigDecimal("2.50"), value("2.50M"));
    assertEquals(Double.NaN, value("##NaN"));
    assertEquals(Double.NEGATIVE_INFINITY, value("##-Inf"));
    assertEquals(new Keyword("a.b/c-d?"), value(":a.b/c-d?"));
    assertEquals(new Symbol("java.net.SocketTimeoutException"), value("java.net.SocketTimeoutException"));
    assertEquals('x', value("\\x"));
    assertEquals('\n', value("\\newline"));
    assertEquals('é', value("\\u00e9"));
  }

  @Test
  void readsStringEscapes() throws Exception {
    assertEquals("a\"b\\c\nd\te\rf\bg\fh\u00e9i", value("\"a\\\"b\\\\c\\nd\\te\\rf\\bg\\fh\\u00e9i\""));
    assertEquals("line one\nline two", value("\"line one\nline two\""));
    assertEquals("; not a comment, [nor] {a map}", value("\"; not a comment, [nor] {a map}\""));
  }

  @Test
  void readsCollections() throws Exception {
    assertEquals(List.of(1L, List.of(2L, 3L), Map.of()), value("[1 [2,3] {}]"));
    Object list = value("(1 (2) ())");
    assertTrue(list instanceof EdnList);
    assertEquals(List.of(1L, List.of(2L), List.of()), list);
    assertEquals(Set.of(1L, new Keyword("a"), "s"), value("#{1 :a \"s\"}"));
    assertEquals(Set.of(), value("#{}"));
    assertEquals(Map.of(new Keyword("a"), 1L, "b", Arrays.asList(null, true)), value("{:a 1, \"b\" [nil true]}"));
    assertEquals(new Tagged("inst", "2024-01-01T00:00:00Z"), value("#inst \"2024-01-01T00:00:00Z\""));
    assertEquals(List.of(1L, 3L), value("[1 #_2 3 #_ [4 5]]"));
  }

  @Test
  void writesCollectionsBackAsTheyWere() throws Exception {
    String text = "{:type :ok, :f :txn, :value [[:append 1 2] [:r 1 (1 2)] #{:a} {:x \\space, \"y\" 1N} #inst \"t\" sym ##NaN 1.5M], :process :nemesis}\n";
    assertEquals(text, Histories.toString(parse(text), Format.EDN));
  }

  @Test
  void handlesCommentsCommasAndLayout() throws Exception {
    String text = "; header\n,,{:type :invoke ; the type\n :f :read,, :value nil :process 0}\n;trailer without newline";
    List<Op> ops = parse(text);
    assertEquals(1, ops.size());
    assertEquals("read", ops.get(0).f());
    assertEquals(0, parse("").size());
    assertEquals(0, parse("; only a comment\n").size());
    assertEquals(0, parse("[]").size());
    assertEquals(0, parse(" ( ) ").size());
    assertEquals(2, parse("#_{:type :ok} {:type :ok}\n{:type :fail}").size());
  }

  @Test
  void readsARecordLiteralAsAnOp() throws Exception {
    Op op = parse("#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :write, :value 3}").get(0);
    assertEquals(0, op.index());
    assertEquals(5, op.time());
    assertEquals(3L, op.value());
  }

  @Test
  void keepsNemesisAsAKeywordAndOtherKeysAsExtra() throws Exception {
    Op op = parse("{:process :nemesis, :type :info, :f :kill, :value {\"n1\" :killed}, :node \"n1\", :clock-offset 12}").get(0);
    assertEquals(new Keyword("nemesis"), op.process());
    assertTrue(op.isNemesis());
    assertEquals(List.of("node", "clock-offset"), List.copyOf(op.extra().keySet()));
    assertEquals("{:type :info, :f :kill, :value {\"n1\" :killed}, :process :nemesis, :node \"n1\", :clock-offset 12}",
        dev.lockstep.histories.format.EdnWriter.toEdn(op));
  }

  @Test
  void writesNamesThatAreNotKeywordsAsStrings() throws Exception {
    Op op = Op.ok(1L, "two words", null).withExtra(Map.of("my key", 1L));
    String text = dev.lockstep.histories.format.EdnWriter.toEdn(op);
    assertEquals("{:type :ok, :f \"two words\", :value nil, :process 1, \"my key\" 1}", text);
    assertEquals(op, parse(text).get(0));
  }

  @Test
  void truncatedMapNamesWhereItOpened() {
    HistoryFormatException e = error("{:type :ok}\n{:type :invoke, :f :read");
    assertEquals(2, e.line());
    assertEquals(1, e.column());
    assertEquals("h.edn:2:1: unterminated map: end of input reached at 2:25", e.getMessage());
  }

  @Test
  void truncatedVectorOfOps() {
    HistoryFormatException e = error("[{:type :ok}\n {:type :fail}\n");
    assertEquals(1, e.line());
    assertEquals(1, e.column());
    assertTrue(e.reason().startsWith("unterminated vector of ops"), e.getMessage());
  }

  @Test
  void badKeywordIsPlaced() {
    HistoryFormatException e = error("{:type :invoke,\n :f ::read}");
    assertEquals(2, e.line());
    assertEquals(5, e.column());
    assertEquals("bad keyword '::read'", e.reason());
    assertEquals(1, error("{:type :ok, :value :}").line());
    assertEquals("bad keyword ':a/'", error("{:type :ok, :value :a/}").reason());
    assertEquals("bad keyword ':a@b'", error("{:type :ok, :value :a@b}").reason());
  }

  @Test
  void unterminatedStringNamesItsQuote() {
    HistoryFormatException e = error("{:type :ok}\n{:type :ok, :value \"abc\n def}\n");
    assertEquals(2, e.line());
    assertEquals(20, e.column());
    assertTrue(e.reason().startsWith("unterminated string"), e.getMessage());
  }

  @Test
  void wrongTypeForIndexIsPlacedAtTheValue() {
    HistoryFormatException e = error("{:type :ok, :index \"7\"}");
    assertEquals(1, e.line());
    assertEquals(20, e.column());
    assertEquals("wrong type for :index: expected an integer, got string \"7\"", e.reason());
    assertEquals("wrong type for :time: expected an integer, got number 1.5", error("{:type :ok, :time 1.5}").reason());
    assertEquals("wrong type for :process: expected an integer or :nemesis, got a vector", error("{:type :ok, :process [1]}").reason());
    assertTrue(error("{:type :ok, :index 99999999999999999999}").reason().startsWith("wrong type for :index"));
  }

  @Test
  void otherMalformedInput() {
    assertEquals("op has no :type", error("{:f :read}").reason());
    assertEquals("wrong value for :type: expected invoke, ok, fail or info, got keyword :done", error("{:type :done}").reason());
    assertEquals("duplicate key :f", error("{:type :ok, :f :a, :f :b}").reason());
    assertEquals("map key has no value", error("{:type :ok, :value}").reason());
    assertEquals("bad string escape '\\q'", error("{:type :ok, :value \"a\\q\"}").reason());
    assertTrue(error("{:type :ok, :value [1 2}}").reason().startsWith("expected ']' to close the vector opened at 1:20"));
    assertEquals("expected an op map starting with '{', found '1'", error("[1]").reason());
    assertEquals("unexpected content after the history's closing ']'", error("[{:type :ok}] {:type :ok}").reason());
    assertEquals("bad number '007'", error("{:type :ok, :value 007}").reason());
    assertEquals("duplicate map key keyword :a", error("{:type :ok, :value {:a 1 :a 2}}").reason());
    assertEquals("op map keys must be keywords or strings, got integer 1", error("{:type :ok, 1 2}").reason());
    assertEquals("unexpected ')'", error("{:type :ok, :value ) }").reason());
  }

  @Test
  void errorsNameTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("bad.edn");
    java.nio.file.Files.writeString(file, "{:type :ok}\n{:type :ok, :index :seven}\n");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Histories.read(file));
    assertEquals(file + ":2:20: wrong type for :index: expected an integer, got keyword :seven", e.getMessage());
  }
}
