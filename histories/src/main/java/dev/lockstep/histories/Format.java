package dev.lockstep.histories;

import java.io.IOException;
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

  /** Bytes looked at to tell the format of a file whose extension names none. */
  private static final int SNIFF_BYTES = 4096;

  /**
   * The format of the file at {@code path}: the one its extension names, else the one its first
   * bytes show (Porcupine's {@code .txt} logs are EDN): {@code {:} or {@code ;} starts EDN, {@code
   * {"} JSON Lines, {@code [} followed by {@code {"} a JSON array, any other {@code [} EDN.
   *
   * @throws HistoryFormatException when neither tells
   * @throws IOException when the file cannot be read
   */
  public static Format detect(Path path) throws IOException {
    try {
      return of(path);
    } catch (HistoryFormatException byExtension) {
      byte[] head;
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
        head = in.readNBytes(SNIFF_BYTES);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new HistoryFormatException(path.toString(), "no such file");
      }
      Format sniffed = sniff(new String(head, java.nio.charset.StandardCharsets.UTF_8));
      if (sniffed == null) {
        throw new HistoryFormatException(path.toString(),
            "cannot tell the history format from the extension or the content; use .jsonl, .json or .edn, or name the format");
      }
      return sniffed;
    }
  }

  /** The format {@code text} (the start of a file) looks like, or null. */
  static Format sniff(String text) {
    String t = text.stripLeading();
    if (t.startsWith(";")) {
      return EDN;
    }
    if (t.startsWith("{")) {
      return t.substring(1).stripLeading().startsWith("\"") ? JSONL : EDN;
    }
    if (t.startsWith("[") || t.startsWith("(")) {
      String inner = t.substring(1).stripLeading();
      boolean json = t.startsWith("[") && inner.startsWith("{") && inner.substring(1).stripLeading().startsWith("\"");
      return json || (t.startsWith("[") && inner.startsWith("]")) ? JSON : EDN;
    }
    return null;
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
