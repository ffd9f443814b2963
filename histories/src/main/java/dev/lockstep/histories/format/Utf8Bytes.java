package dev.lockstep.histories.format;

import dev.lockstep.histories.HistoryFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/** The UTF-8 bytes of a reader's text, for the byte-level readers. */
final class Utf8Bytes extends InputStream {
  private static final int CHUNK_CHARS = 8192;
  private static final int UTF8_BYTES_PER_CHAR_MAX = 3;

  private final Reader in;
  private final String source;
  private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
  private final CharBuffer chars = CharBuffer.allocate(CHUNK_CHARS);
  private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK_CHARS * UTF8_BYTES_PER_CHAR_MAX);
  private boolean eof;

  Utf8Bytes(Reader in, String source) {
    this.in = in;
    this.source = source;
    bytes.flip();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    while (!bytes.hasRemaining()) {
      if (eof) {
        return -1;
      }
      refill();
    }
    int n = Math.min(len, bytes.remaining());
    bytes.get(b, off, n);
    return n;
  }

  /** Reads more chars and encodes them; a high surrogate at the end waits for its pair. */
  private void refill() throws IOException {
    int n = in.read(chars);
    eof = n < 0;
    chars.flip();
    bytes.clear();
    CoderResult r = encoder.encode(chars, bytes, eof);
    if (eof && !r.isError()) {
      r = encoder.flush(bytes);
    }
    if (r.isError()) {
      HistoryFormatException e = new HistoryFormatException(source, "text with a lone surrogate, which UTF-8 cannot hold");
      try {
        r.throwException();
      } catch (CharacterCodingException cause) {
        e.initCause(cause);
      }
      throw e;
    }
    chars.compact();
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
