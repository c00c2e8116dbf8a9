package dev.parkway.store.redis;

/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis, so an append (idempotency check,
 * head increment, XADD, retention trim, notification) is one step that every node sees in the same
 * order, and no other command can observe half of it.
 *
 * <p><b>Layout of one channel key {@code c}</b> (a channel name, or {@code @client} for a mailbox), under
 * the configured prefix {@code P}:
 *
 * <ul>
 *   <li>{@code P s:c}: a Redis stream of the retained events, entry id {@code <seq>-0}, fields {@code t}
 *       (timestamp, epoch ms) and {@code d} (data, compact JSON). Retained seqs are always one
 *       consecutive run {@code oldest..head} (trimming only ever removes from the front), so the event
 *       with seq {@code n} is the entry {@code n-0} and a read after {@code n} is one XRANGE;
 *   <li>{@code P h:c}: a hash: {@code head} (last seq handed out, kept after a delete: the tombstone),
 *       {@code last} (last timestamp, so timestamps never decrease), {@code lost} (timestamp of the newest
 *       event retention dropped), {@code acked} (mailboxes), {@code live} (1, or 0 once deleted);
 *   <li>{@code P k:c} and {@code P t:c}: idempotency keys: a hash key to {@code seq:timestamp:data} of
 *       the event it produced, and a sorted set key to timestamp, to forget keys past the dedupe window.
 *       Both also expire as a whole a little after the window, so idle channels hold no keys;
 *   <li>{@code P channels}: a sorted set (all scores 0, ordered by name) of the live keys, for
 *       {@code channelsUnder} (ZRANGEBYLEX) and the retention sweep;
 *   <li>{@code P epoch}: the shared epoch, set once (SET NX) by the first node to start.
 * </ul>
 *
 * <p>Every script takes the epoch key as {@code KEYS[1]} and the epoch the caller believes in as
 * {@code ARGV[1]}, and refuses with {@code PARKWAY_EPOCH} if they differ: a Redis that lost its data
 * (restarted without persistence, flushed) would otherwise hand out seq 1 again under the old epoch, and
 * clients' cursors would silently point at different events. {@code ARGV[2]} is the time in epoch ms,
 * or empty to use Redis's own {@code TIME} (one clock for every node). The scripts on one channel take
 * {@code KEYS[2]} = its stream, {@code KEYS[3]} = its meta hash and {@code ARGV[3]} = its retention age
 * in ms (0: none), and trim aged events before they read, as the in-memory store does. Numbers are
 * passed and returned
 * as decimal strings ({@code s()}), because Lua's default number formatting would switch to exponent
 * notation.
 *
 * <p>Requires Redis 6.2 or later (XTRIM MINID, exclusive XRANGE bounds) and {@code maxmemory-policy
 * noeviction}: evicting one key of a channel and not the others would break its invariants.
 */
final class Scripts {
  private Scripts() {}

  /** Helpers shared by every script, and the epoch check. */
  private static final String COMMON =
      """
      redis.replicate_commands()
      local function s(n) return string.format('%.0f', n) end
      local function now_ms(arg)
        if arg ~= '' then return tonumber(arg) end
        local t = redis.call('TIME')
        return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      end
      local function seq_of(id) return tonumber(string.match(id, '^(%d+)')) end
      local function oldest_seq(stream, head)
        local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
        if #first == 0 then return head + 1 end
        return seq_of(first[1][1])
      end
      -- Drops the events older than cutoff (timestamps never decrease, so they are a prefix) and records
      -- the newest one dropped as lost. Returns that timestamp, or nil if nothing was dropped.
      local function trim_aged(stream, meta, cutoff)
        local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
        if #first == 0 or tonumber(first[1][2][2]) >= cutoff then return nil end
        local start, lost, keep = '-', nil, nil
        while true do
          local batch = redis.call('XRANGE', stream, start, '+', 'COUNT', 64)
          for i = 1, #batch do
            if tonumber(batch[i][2][2]) >= cutoff then keep = batch[i][1] break end
            lost = batch[i][2][2]
          end
          if keep or #batch < 64 then break end
          start = '(' .. batch[#batch][1]
        end
        if not lost then return nil end
        if keep then
          redis.call('XTRIM', stream, 'MINID', keep)
        else
          redis.call('XTRIM', stream, 'MAXLEN', 0)
        end
        redis.call('HSET', meta, 'lost', lost)
        return lost
      end
      -- Applies the channel's age retention (ARGV[3]) at now (default: the script's clock); see trim_aged.
      local function trim_to_age(now)
        local max_age = tonumber(ARGV[3])
        if max_age <= 0 then return nil end
        return trim_aged(KEYS[2], KEYS[3], (now or now_ms(ARGV[2])) - max_age)
      end
      -- Forgets the idempotency keys recorded before cutoff.
      local function forget_keys(keys, times, cutoff)
        while true do
          local old = redis.call('ZRANGEBYSCORE', times, '-inf', '(' .. s(cutoff), 'LIMIT', 0, 500)
          if #old == 0 then return end
          redis.call('HDEL', keys, unpack(old))
          redis.call('ZREM', times, unpack(old))
        end
      end
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('PARKWAY_EPOCH Redis no longer holds this epoch')
      end
      """;

  /**
   * KEYS: epoch, stream, meta, keys, times, index. ARGV: epoch, now, max age ms, channel, data, idempotency
   * key ('' for none), max count, dedupe window ms, notification channel, notice prefix.
   * Returns {@code {0, seq, timestamp}} for a new event, {@code {1, "seq:timestamp:data"}} for a repeat.
   */
  static final LuaScript APPEND =
      new LuaScript(
          "append",
          COMMON
              + """
              local now = now_ms(ARGV[2])
              local key = ARGV[6]
              local dedupe = tonumber(ARGV[8])
              if key ~= '' then
                forget_keys(KEYS[4], KEYS[5], now - dedupe)
                local original = redis.call('HGET', KEYS[4], key)
                if original then return {1, original} end
              end
              local head = redis.call('HINCRBY', KEYS[3], 'head', 1)
              local ts = math.max(now, tonumber(redis.call('HGET', KEYS[3], 'last') or '0'))
              redis.call('HSET', KEYS[3], 'last', s(ts), 'live', '1')
              redis.call('XADD', KEYS[2], s(head) .. '-0', 't', s(ts), 'd', ARGV[5])
              local keep = head - tonumber(ARGV[7]) + 1
              if keep > 1 then
                local dropped = redis.call('XREVRANGE', KEYS[2], s(keep - 1) .. '-0', '-', 'COUNT', 1)
                if #dropped > 0 then
                  redis.call('HSET', KEYS[3], 'lost', dropped[1][2][2])
                  redis.call('XTRIM', KEYS[2], 'MINID', s(keep) .. '-0')
                end
              end
              trim_to_age(now)
              if key ~= '' then
                redis.call('HSET', KEYS[4], key, s(head) .. ':' .. s(ts) .. ':' .. ARGV[5])
                redis.call('ZADD', KEYS[5], s(ts), key)
                redis.call('PEXPIRE', KEYS[4], s(dedupe + 1000))
                redis.call('PEXPIRE', KEYS[5], s(dedupe + 1000))
              end
              redis.call('ZADD', KEYS[6], 0, ARGV[4])
              redis.call('PUBLISH', ARGV[9], ARGV[10] .. ' a ' .. s(head) .. ' ' .. ARGV[4])
              return {0, s(head), s(ts)}
              """);

  /**
   * KEYS: epoch, stream, meta. ARGV: epoch, now, max age ms, after seq, max. Returns {@code {head, oldest,
   * live (1|0), lost ('' for none), seq1, timestamp1, data1, seq2, ...}}.
   */
  static final LuaScript READ =
      new LuaScript(
          "read",
          COMMON
              + """
              local meta = redis.call('HMGET', KEYS[3], 'head', 'live', 'lost')
              if not meta[1] then return {'0', '1', 0, ''} end
              local head = tonumber(meta[1])
              local lost = trim_to_age() or meta[3]
              local oldest = oldest_seq(KEYS[2], head)
              local out = {s(head), s(oldest), meta[2] == '1' and 1 or 0, lost or ''}
              local after = tonumber(ARGV[4])
              local max = tonumber(ARGV[5])
              if max > 0 and after < head then
                local from = math.max(after + 1, oldest)
                local entries = redis.call('XRANGE', KEYS[2], s(from) .. '-0', '+', 'COUNT', s(max))
                for i = 1, #entries do
                  out[#out + 1] = string.match(entries[i][1], '^(%d+)')
                  out[#out + 1] = entries[i][2][2]
                  out[#out + 1] = entries[i][2][4]
                end
              end
              return out
              """);

  /**
   * KEYS: epoch, stream, meta. ARGV: epoch, now, max age ms. Returns {@code {head, oldest, count}}, or
   * nil for a channel that does not exist (never published to, or deleted).
   */
  static final LuaScript STATS =
      new LuaScript(
          "stats",
          COMMON
              + """
              local meta = redis.call('HMGET', KEYS[3], 'head', 'live')
              if meta[2] ~= '1' then return false end
              local head = tonumber(meta[1])
              trim_to_age()
              return {s(head), s(oldest_seq(KEYS[2], head)), redis.call('XLEN', KEYS[2])}
              """);

  /**
   * KEYS: epoch, stream, meta. ARGV: epoch, now, max age ms, since ms. Returns the seq of the first retained
   * event with timestamp at or after since, else head + 1: a binary search over the consecutive seqs.
   */
  static final LuaScript FIRST_SINCE =
      new LuaScript(
          "first-since",
          COMMON
              + """
              local head = redis.call('HGET', KEYS[3], 'head')
              if not head then return '1' end
              head = tonumber(head)
              trim_to_age()
              local since = tonumber(ARGV[4])
              local lo, hi = oldest_seq(KEYS[2], head), head + 1
              while lo < hi do
                local mid = math.floor((lo + hi) / 2)
                local e = redis.call('XRANGE', KEYS[2], s(mid) .. '-0', s(mid) .. '-0')
                if tonumber(e[1][2][2]) < since then lo = mid + 1 else hi = mid end
              end
              return s(lo)
              """);

  /**
   * KEYS: epoch, stream, meta. ARGV: epoch, now, max age (both unused), up to seq. Drops the events up
   * to it (not a loss: {@code lost} stays) and returns the highest seq acknowledged so far.
   */
  static final LuaScript ACKNOWLEDGE =
      new LuaScript(
          "acknowledge",
          COMMON
              + """
              local head = redis.call('HGET', KEYS[3], 'head')
              if not head then return '0' end
              local up = tonumber(ARGV[4])
              local acked = tonumber(redis.call('HGET', KEYS[3], 'acked') or '0')
              if up <= tonumber(head) then
                redis.call('XTRIM', KEYS[2], 'MINID', s(up + 1) .. '-0')
                if up > acked then
                  acked = up
                  redis.call('HSET', KEYS[3], 'acked', s(acked))
                end
              end
              return s(acked)
              """);

  /**
   * KEYS: epoch, stream, meta, keys, times, index. ARGV: epoch, now, max age (both unused), channel,
   * notification channel, notice prefix. Keeps {@code head} (the tombstone). Returns 1 if the channel was
   * live.
   */
  static final LuaScript DELETE =
      new LuaScript(
          "delete",
          COMMON
              + """
              if redis.call('HGET', KEYS[3], 'live') ~= '1' then return 0 end
              redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
              redis.call('HSET', KEYS[3], 'live', '0')
              redis.call('HDEL', KEYS[3], 'lost')
              redis.call('ZREM', KEYS[6], ARGV[4])
              redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' d ' .. ARGV[4])
              return 1
              """);

  /**
   * The retention sweep over a batch of channels. KEYS: epoch, then per channel its stream, meta, keys and
   * times. ARGV: epoch, now, then per channel its max age ms (0: none) and dedupe window ms.
   */
  static final LuaScript SWEEP =
      new LuaScript(
          "sweep",
          COMMON
              + """
              local now = now_ms(ARGV[2])
              local n = (#KEYS - 1) / 4
              for i = 0, n - 1 do
                local k = 2 + i * 4
                local max_age = tonumber(ARGV[3 + i * 2])
                if max_age > 0 then trim_aged(KEYS[k], KEYS[k + 1], now - max_age) end
                forget_keys(KEYS[k + 2], KEYS[k + 3], now - tonumber(ARGV[4 + i * 2]))
              end
              return n
              """);
}
