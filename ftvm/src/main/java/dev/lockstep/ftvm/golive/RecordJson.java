package dev.lockstep.ftvm.golive;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON of the published role records (the bytes of their znodes, real or simulated). */
public final class RecordJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordJson() {}

  public static byte[] write(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record, or null when the bytes are not a record of that type (logged by the caller). */
  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      return null;
    }
  }
}
