package dev.lockstep.histories;

import java.nio.file.Path;
import java.util.Locale;

/** The three history formats, and how a file's extension names one. */
public enum Format {
  /** JSON Lines: one op object per line (the run directory's main format). */
  JSONL("jsonl"),
  /** One JSON array of op objects, the shape elle-cli reads. */
  JSON("json"),
  /** EDN as Jepsen and Knossos write it: a stream of op maps, or one vector or list of them. */
  EDN("edn");

  private final String extension;

  Format(String extension) {
    this.extension = extension;
  }

  /** The file extension, without the dot. */
  public String extension() {
    return extension;
  }

  /**
   * The format a file's extension names ({@code .jsonl}, {@code .ndjson}, {@code .json}, {@code
   * .edn}, any case).
   *
   * @throws HistoryFormatException when the extension names no format
   */
  public static Format of(Path path) throws HistoryFormatException {
    String name = String.valueOf(path.getFileName()).toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    if (ext.equals("ndjson")) {
      return JSONL;
    }
    for (Format f : values()) {
      if (f.extension.equals(ext)) {
        return f;
      }
    }
    throw new HistoryFormatException(
        path.toString(), "cannot tell the history format from the extension; use .jsonl, .json or .edn, or name the format");
  }

  /**
   * The format named {@code jsonl}, {@code json} or {@code edn} (any case).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Format parse(String name) {
    for (Format f : values()) {
      if (f.extension.equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown history format '" + name + "': expected jsonl, json or edn");
  }
}
