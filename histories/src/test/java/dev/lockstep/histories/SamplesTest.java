package dev.lockstep.histories;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplesTest {
  static Path resource(String name) throws URISyntaxException {
    return Path.of(SamplesTest.class.getResource("/histories/" + name).toURI());
  }

  @Test
  void readsAKnossosVectorWithCommentsAndAMissingComma() throws Exception {
    List<Op> ops = Histories.read(resource("knossos-cas-register.edn"));
    assertEquals(10, ops.size());
    Op cas = ops.get(6);
    assertEquals(Op.Type.INVOKE, cas.type());
    assertEquals("cas", cas.f());
    assertEquals(List.of(4L, 1L), cas.value());
    assertEquals(3L, cas.process());
    assertEquals(Op.ABSENT, cas.time());
    assertEquals(Op.ABSENT, cas.index());
    assertEquals(Op.Type.FAIL, ops.get(7).type());
    assertEquals(java.util.Arrays.asList(new Keyword("temporarily-unavailable"), null), ops.get(9).error());
    assertNull(ops.get(3).value());
  }

  @Test
  void readsAKnossosList() throws Exception {
    List<Op> ops = Histories.read(resource("knossos-list.edn"));
    assertEquals(4, ops.size());
    assertEquals(Op.Type.INFO, ops.get(3).type());
    assertEquals(1L, ops.get(3).process());
  }

  @Test
  void readsAJepsenStreamWithNemesisAndIndependentTuples() throws Exception {
    List<Op> ops = Histories.read(resource("jepsen-independent.edn"));
    assertEquals(8, ops.size());
    Op nemesis = ops.get(2);
    assertEquals(new Keyword("nemesis"), nemesis.process());
    assertTrue(nemesis.isNemesis());
    assertEquals(1400000L, nemesis.time());
    assertEquals(2L, nemesis.index());
    Object partition = ops.get(4).value();
    assertEquals(List.of(new Keyword("isolated"), Map.of("n1", Set.of("n2", "n3"))), partition);
    assertEquals(new Keyword("timeout"), ops.get(5).error());
    assertEquals(Map.of("node", "n1"), ops.get(7).extra());

    Map<Object, List<Op>> byKey = Independent.byKey(ops);
    assertEquals(Set.of(1L, 2L), byKey.keySet());
    assertEquals(List.of(3L, 4L), byKey.get(1L).get(2).value());
    assertEquals(4, byKey.get(1L).size());
    assertEquals(ops.get(6), Independent.join(Independent.split(ops.get(6))));
  }

  @Test
  void edenRoundTripsTheSamplesAsData() throws Exception {
    for (String name : List.of("knossos-cas-register.edn", "knossos-list.edn", "jepsen-independent.edn")) {
      List<Op> ops = Histories.read(resource(name));
      for (Format f : Format.values()) {
        String text = Histories.toString(ops, f);
        List<Op> back = Histories.parse(text, f, name + "." + f.extension());
        if (f == Format.EDN) {
          assertEquals(ops, back, name);
        } else {
          assertEquals(ops.size(), back.size());
        }
        assertEquals(text, Histories.toString(back, f), name + " as " + f);
      }
    }
  }
}
