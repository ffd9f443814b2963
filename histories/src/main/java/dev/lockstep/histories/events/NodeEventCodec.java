package dev.lockstep.histories.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.lockstep.histories.HistoryFormatException;
import dev.lockstep.histories.format.JsonOps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One event to and from one line of JSON. Unknown fields are ignored; unknown types are errors. */
public final class NodeEventCodec {
  private NodeEventCodec() {}

  /** The event as one line of JSON in UTF-8, without the line break. */
  public static byte[] toJsonBytes(NodeEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator g = JsonOps.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", event.type());
      g.writeStringField("node", event.node());
      writeFields(g, event);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Appends the events to {@code out} as lines (each with its line break), with one generator for
   * all of them.
   *
   * @throws IllegalArgumentException when a line, line break included, exceeds {@code lineBytesMax}
   */
  public static void appendLines(List<? extends NodeEvent> events, ByteArrayOutputStream out, int lineBytesMax) {
    try (JsonGenerator g = JsonOps.FACTORY.createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (NodeEvent event : events) {
        int start = out.size();
        g.writeStartObject();
        g.writeStringField("type", event.type());
        g.writeStringField("node", event.node());
        writeFields(g, event);
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
        if (out.size() - start > lineBytesMax) {
          throw new IllegalArgumentException("event line of " + (out.size() - start) + " bytes exceeds " + lineBytesMax);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
  }

  private static void writeFields(JsonGenerator g, NodeEvent event) throws IOException {
    if (event instanceof NodeEvent.Output o) {
      g.writeNumberField("epoch", o.epoch());
      g.writeNumberField("outSeq", o.outSeq());
      g.writeNumberField("clientId", o.clientId());
      g.writeNumberField("reqSeq", o.reqSeq());
      g.writeStringField("bytesHash", o.bytesHash());
      g.writeNumberField("time", o.time());
      g.writeBooleanField("acked", o.acked());
      if (o.release() != null) {
        g.writeNumberField("entrySeq", o.release().entrySeq());
        g.writeNumberField("icount", o.release().icount());
        g.writeNumberField("ackedSeq", o.release().ackedSeq());
        g.writeStringField("gate", o.release().standing());
      }
    } else if (event instanceof NodeEvent.StateHash s) {
      if (s.hasEpoch()) {
        g.writeNumberField("epoch", s.epoch());
      }
      if (s.role() != null) {
        g.writeStringField("role", s.role());
      }
      g.writeNumberField("icount", s.icount());
      g.writeStringField("hash", s.hash());
    } else if (event instanceof NodeEvent.RoleChange r) {
      g.writeNumberField("epoch", r.epoch());
      g.writeStringField("role", r.role());
      g.writeNumberField("time", r.time());
    } else if (event instanceof NodeEvent.GoLive l) {
      g.writeNumberField("epoch", l.epoch());
      g.writeStringField("result", l.result());
      g.writeNumberField("time", l.time());
    } else if (event instanceof NodeEvent.CaughtUp c) {
      g.writeNumberField("epoch", c.epoch());
      g.writeNumberField("receivedSeq", c.receivedSeq());
      g.writeNumberField("ackedSeq", c.ackedSeq());
      g.writeNumberField("executedSeq", c.executedSeq());
      g.writeNumberField("discarded", c.discarded());
      g.writeNumberField("icount", c.icount());
      g.writeNumberField("time", c.time());
    } else if (event instanceof NodeEvent.Divergence d) {
      g.writeNumberField("epoch", d.epoch());
      g.writeNumberField("icount", d.icount());
      g.writeStringField("detail", d.detail());
      g.writeNumberField("time", d.time());
    }
  }

  /**
   * Parses one line; {@code lineNumber} and {@code source} place errors.
   *
   * @throws HistoryFormatException for malformed JSON, an unknown type, a missing field or a field
   *     of the wrong type
   */
  public static NodeEvent parse(String line, String source, int lineNumber) throws HistoryFormatException {
    Map<String, Object> fields = new HashMap<>();
    Map<String, Integer> columns = new HashMap<>();
    try (JsonParser p = JsonOps.FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new HistoryFormatException(source, lineNumber, 1, "expected an event object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        columns.put(name, p.currentTokenLocation().getColumnNr());
        fields.put(name, JsonOps.readValue(p));
      }
      if (p.nextToken() != null) {
        throw new HistoryFormatException(source, lineNumber, p.currentTokenLocation().getColumnNr(), "more than one JSON value on one line");
      }
    } catch (StreamReadException e) {
      int column = e.getLocation() == null ? 1 : Math.max(e.getLocation().getColumnNr(), 1);
      String reason = e.getOriginalMessage().lines().findFirst().orElse("malformed JSON");
      throw new HistoryFormatException(source, lineNumber, column, reason);
    } catch (HistoryFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory cannot fail", e);
    }
    return new Fields(fields, columns, source, lineNumber).event();
  }

  /** The fields of one line, with typed getters that name the field and column on error. */
  private record Fields(Map<String, Object> values, Map<String, Integer> columns, String source, int line) {
    NodeEvent event() throws HistoryFormatException {
      String type = string("type");
      String node = string("node");
      return switch (type) {
        case NodeEvent.Output.TYPE -> new NodeEvent.Output(
            node, count("epoch"), count("outSeq"), count("clientId"), count("reqSeq"),
            string("bytesHash"), integer("time"), bool("acked"), release());
        case NodeEvent.StateHash.TYPE -> new NodeEvent.StateHash(
            node, optionalCount("epoch", NodeEvent.StateHash.UNKNOWN_EPOCH), optionalString("role"),
            count("icount"), string("hash"));
        case NodeEvent.RoleChange.TYPE -> new NodeEvent.RoleChange(node, count("epoch"), string("role"), integer("time"));
        case NodeEvent.GoLive.TYPE -> new NodeEvent.GoLive(node, count("epoch"), string("result"), integer("time"));
        case NodeEvent.CaughtUp.TYPE -> new NodeEvent.CaughtUp(node, count("epoch"), count("receivedSeq"),
            integer("ackedSeq"), count("executedSeq"), count("discarded"), count("icount"), integer("time"));
        case NodeEvent.Divergence.TYPE -> new NodeEvent.Divergence(
            node, count("epoch"), count("icount"), string("detail"), integer("time"));
        default -> throw wrong("type", "unknown event type \"" + type + "\"");
      };
    }

    /** The gate's word on an output, or null when the log predates it (no {@code entrySeq}). */
    NodeEvent.Release release() throws HistoryFormatException {
      if (!values.containsKey("entrySeq")) {
        return null;
      }
      return new NodeEvent.Release(count("entrySeq"), count("icount"), integer("ackedSeq"), string("gate"));
    }

    private Object require(String name) throws HistoryFormatException {
      if (!values.containsKey(name)) {
        throw new HistoryFormatException(source, line, 1, "event has no \"" + name + "\"");
      }
      return values.get(name);
    }

    String string(String name) throws HistoryFormatException {
      if (require(name) instanceof String s) {
        return s;
      }
      throw wrong(name, "\"" + name + "\" must be a string");
    }

    long integer(String name) throws HistoryFormatException {
      if (require(name) instanceof Long n) {
        return n;
      }
      throw wrong(name, "\"" + name + "\" must be an integer");
    }

    long count(String name) throws HistoryFormatException {
      long n = integer(name);
      if (n < 0) {
        throw wrong(name, "\"" + name + "\" must not be negative");
      }
      return n;
    }

    /** The field's count, or {@code absent} when a log written before the field existed lacks it. */
    long optionalCount(String name, long absent) throws HistoryFormatException {
      return values.containsKey(name) ? count(name) : absent;
    }

    /** The field's string, or null when the log lacks it. */
    String optionalString(String name) throws HistoryFormatException {
      return values.containsKey(name) ? string(name) : null;
    }

    boolean bool(String name) throws HistoryFormatException {
      if (require(name) instanceof Boolean b) {
        return b;
      }
      throw wrong(name, "\"" + name + "\" must be true or false");
    }

    private HistoryFormatException wrong(String name, String reason) {
      return new HistoryFormatException(source, line, columns.getOrDefault(name, 1), reason);
    }
  }
}
