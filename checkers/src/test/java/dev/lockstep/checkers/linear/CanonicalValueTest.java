package dev.lockstep.checkers.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lockstep.checkers.Verdict;
import dev.lockstep.histories.Format;
import dev.lockstep.histories.Histories;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalValueTest {

  @Test
  void numbersAreEqualByValueWhateverTheSpelling() {
    Object one = CanonicalValue.of(1L);
    assertEquals(one, CanonicalValue.of(1.0));
    assertEquals(one, CanonicalValue.of(new BigDecimal("1.000")));
    assertEquals(one, CanonicalValue.of(BigInteger.ONE));
    assertEquals(one, CanonicalValue.of(1));
    assertEquals(CanonicalValue.of(0.5), CanonicalValue.of(new BigDecimal("0.50")));
    assertEquals(CanonicalValue.of(0L), CanonicalValue.of(-0.0));
    assertNotEquals(one, CanonicalValue.of(1.5));
    assertNotEquals(one, CanonicalValue.of("1"));
    assertEquals(List.of(1L, List.of(2L)), CanonicalValue.of(List.of(1.0, List.of(new BigDecimal("2.0")))));
    BigInteger big = BigInteger.TWO.pow(70);
    assertEquals(big, CanonicalValue.of(new BigDecimal(big)));
  }

  @Test
  void aReadOfOnePointZeroAfterAWriteOfOneIsLinearizable() throws IOException {
    String jsonl = """
        {"type":"invoke","f":"write","value":1,"process":0}
        {"type":"ok","f":"write","value":1,"process":0}
        {"type":"invoke","f":"cas","value":[1.0, 2],"process":0}
        {"type":"ok","f":"cas","value":[1.0, 2],"process":0}
        {"type":"invoke","f":"read","value":null,"process":1}
        {"type":"ok","f":"read","value":2.0,"process":1}
        """;
    assertEquals(Verdict.TRUE, PorcupineKvTest.check(Histories.parse(jsonl, Format.JSONL, "t"), null, null).result().verdict());
    String wrong = jsonl.replace("\"value\":2.0", "\"value\":2.5");
    assertEquals(Verdict.FALSE, PorcupineKvTest.check(Histories.parse(wrong, Format.JSONL, "t"), null, null).result().verdict());
  }
}
