package dev.parkway.store.file;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of one journal record, and nothing else: framing, checksum, and the two payloads.
 *
 * <pre>
 *   int    length    bytes after this 8-byte header (type + payload), 1 .. {@link #MAX_LENGTH}
 *   int    crc32c    CRC32C of those bytes
 *   byte   type      {@link #APPEND} or {@link #STATE}
 *   APPEND: short channel length, channel (UTF-8), long seq, long timestamp,
 *           short key length (-1: no key), key (UTF-8), data (UTF-8, the rest)
 *   STATE:  short channel length, channel (UTF-8), seven longs: {@link ChannelMarks}
 * </pre>
 *
 * <p>Big-endian throughout. A record whose length is out of range, whose checksum does not match, or
 * whose payload does not parse is corrupt: a reader stops there (see {@link SegmentScan}). An append's
 * timestamp is written after the rest ({@link #stamp}) and the checksum last ({@link #seal}), both by
 * the journal, because the timestamp is only chosen when the record is queued. Stateless; thread-safe.
 */
final class RecordFormat {
  static final int HEADER = 8;
  static final byte APPEND = 1;
  static final byte STATE = 2;
  /** Largest record body: the largest event data ({@code parkway.body.max} allows 64 MiB) and its names. */
  static final int MAX_LENGTH = (64 << 20) + (64 << 10);

  private static final int NO_KEY = -1;

  private RecordFormat() {}

  /** An APPEND record with its timestamp and checksum still to be filled in. */
  static byte[] append(String channel, long seq, String key, String data) {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    byte[] dataBytes = data.getBytes(StandardCharsets.UTF_8);
    int length = 1 + 2 + name.length + 16 + 2 + (keyBytes == null ? 0 : keyBytes.length) + dataBytes.length;
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException("event too large for the journal: " + length + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER + length);
    b.putInt(length).putInt(0).put(APPEND);
    b.putShort((short) name.length).put(name).putLong(seq).putLong(0);
    if (keyBytes == null) {
      b.putShort((short) NO_KEY);
    } else {
      b.putShort((short) keyBytes.length).put(keyBytes);
    }
    b.put(dataBytes);
    return b.array();
  }

  /** Writes an APPEND record's timestamp. */
  static void stamp(byte[] record, long timestamp) {
    int nameLength = ((record[HEADER + 1] & 0xff) << 8) | (record[HEADER + 2] & 0xff);
    ByteBuffer.wrap(record).putLong(HEADER + 3 + nameLength + 8, timestamp);
  }

  static byte[] state(String channel, ChannelMarks m) {
    byte[] name = channel.getBytes(StandardCharsets.UTF_8);
    int length = 1 + 2 + name.length + 7 * 8;
    ByteBuffer b = ByteBuffer.allocate(HEADER + length);
    b.putInt(length).putInt(0).put(STATE).putShort((short) name.length).put(name);
    b.putLong(m.head()).putLong(m.lastTimestamp()).putLong(m.droppedThrough());
    b.putLong(m.lostSeq()).putLong(m.lostTimestamp()).putLong(m.ackedThrough()).putLong(m.deletedThrough());
    return b.array();
  }

  /** Writes the checksum; the record must not change afterwards. */
  static void seal(byte[] record) {
    CRC32C crc = new CRC32C();
    crc.update(record, HEADER, record.length - HEADER);
    ByteBuffer.wrap(record).putInt(4, (int) crc.getValue());
  }

  /** The body length a header announces, or -1 if it is out of range. */
  static int length(ByteBuffer buffer, int at) {
    int length = buffer.getInt(at);
    return length >= 1 && length <= MAX_LENGTH ? length : -1;
  }

  /** Whether the body at {@code at + HEADER} matches the header's checksum. */
  static boolean intact(ByteBuffer buffer, int at, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer body = buffer.duplicate();
    body.limit(at + HEADER + length).position(at + HEADER);
    crc.update(body);
    return (int) crc.getValue() == buffer.getInt(at + 4);
  }

  /**
   * Parses an intact record's body.
   *
   * @param withData false to skip decoding an append's data unless it has a key (replay needs only where
   *     an event is, and the event of a key, which a repeated publish returns)
   * @throws IllegalArgumentException if the body does not parse
   */
  static JournalRecord parse(ByteBuffer buffer, int at, int length, boolean withData) {
    ByteBuffer b = buffer.duplicate();
    b.limit(at + HEADER + length).position(at + HEADER);
    try {
      byte type = b.get();
      String channel = string(b, b.getShort());
      if (type == APPEND) {
        long seq = b.getLong();
        long timestamp = b.getLong();
        short keyLength = b.getShort();
        String key = keyLength == NO_KEY ? null : string(b, keyLength);
        String data = withData || key != null ? string(b, b.remaining()) : null;
        return new JournalRecord.Append(channel, seq, timestamp, key, data);
      }
      if (type == STATE) {
        ChannelMarks marks =
            new ChannelMarks(
                b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
        if (b.hasRemaining()) {
          throw new IllegalArgumentException("trailing bytes in a state record");
        }
        return new JournalRecord.State(channel, marks);
      }
      throw new IllegalArgumentException("unknown record type " + type);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("record shorter than its fields", e);
    }
  }

  private static String string(ByteBuffer b, int length) {
    if (length < 0 || length > b.remaining()) {
      throw new IllegalArgumentException("bad string length " + length);
    }
    String s;
    if (b.hasArray()) {
      s = new String(b.array(), b.arrayOffset() + b.position(), length, StandardCharsets.UTF_8);
    } else {
      byte[] bytes = new byte[length];
      b.duplicate().get(bytes);
      s = new String(bytes, StandardCharsets.UTF_8);
    }
    b.position(b.position() + length);
    return s;
  }
}
