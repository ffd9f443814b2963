package dev.lockstep.checkers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class JunitXmlTest {

  @Test
  void markupAndCharactersXmlForbidsNeverBreakTheReport() throws Exception {
    String nasty = "a <b> & \"c\" 'd' \u0001 \uD83D\uDE00 ]]>";
    String xml = JunitXml.render(List.of(new JunitXml.Case(nasty, "false", nasty, nasty, 0.25),
        new JunitXml.Case("ok", "true", "true", "", 0.5)));
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    String kept = "a <b> & \"c\" 'd'  \uD83D\uDE00 ]]>";
    assertEquals(kept, doc.getElementsByTagName("testcase").item(0).getAttributes().getNamedItem("name").getNodeValue());
    assertEquals(kept, doc.getElementsByTagName("failure").item(0).getTextContent());
    assertEquals("0.750", doc.getDocumentElement().getAttribute("time"));
  }
}
