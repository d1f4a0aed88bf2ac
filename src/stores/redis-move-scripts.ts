/**
 * The Lua scripts behind `RedisStore.rename` (moving a session to a new id) and the revocation
 * mark of `destroyAllOf`: together they make a revocation win over a rotation in flight.
 *
 * - `destroyAllOf(user)` first adds a mark (a member starting with {@link REVOKING_MARK}, scored
 *   with a lease) to the user's index, atomically with reading the index; it removes it when done.
 * - `rename` first checks, on the old record's user index, that no mark is live, atomically with
 *   indexing the new key there; only then does it write the new record and delete the old one,
 *   and only if the old record still exists and still belongs to that user.
 *
 * Each script touches one key except {@link MOVE_SCRIPT} (the old and the new record), which is
 * used on standalone and Sentinel only; on Redis Cluster the two records may live in different
 * slots, so the store writes the new record, then runs {@link MOVE_TAKE_SCRIPT} on the old one, and
 * deletes the new record again when the old one was gone.
 */
import { PRELUDE } from './redis-scripts';

/** The prefix of the revocation marks in a user's index (NUL cannot start a session key from a cookie). */
export const REVOKING_MARK = '\u0000kts-revoking:';

/** How long a revocation mark holds when its `destroyAllOf` never removes it (a crashed process). */
export const REVOKING_LEASE_MS = 60_000;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const EXPIRE_WITH_TOP = `
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if top[2] then redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(top[2]))) end
`;

/**
 * Starts a revocation: adds the mark, returns the index's session keys (marks left out).
 * KEYS[1] the index; ARGV[1] the mark prefix, ARGV[2] this call's mark, ARGV[3] its lease in ms.
 */
export const REVOKE_BEGIN_SCRIPT = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
local out = {}
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(m, 1, #ARGV[1]) ~= ARGV[1] then out[#out + 1] = m end
end
${EXPIRE_WITH_TOP}
return out
`;

/**
 * The first step of a move: fails (0) while a revocation of the index's user is under way, else
 * indexes the new session key there when ARGV[4] is '1' (as INDEX_SCRIPT) and returns 1.
 * KEYS[1] the old record's user index; ARGV[1] the mark prefix, ARGV[2] the new session key,
 * ARGV[3] its TTL in ms, ARGV[4] '1' to index it.
 */
export const INDEX_UNLESS_REVOKING_SCRIPT = `${NOW}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  if string.sub(m, 1, #ARGV[1]) == ARGV[1] then return 0 end
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
  ${EXPIRE_WITH_TOP}
end
return 1
`;

/** True when KEYS[1] exists and its user (ARGV[1] the userField, '' for none) is ARGV[2] ('' for none). */
const OLD_RECORD_STILL_OURS = `${PRELUDE}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
if ARGV[1] ~= '' then
  local entries = parse(raw)
  local id = false
  if entries then id = user_id(field(entries, ARGV[1])) end
  if (id or '') ~= ARGV[2] then return 0 end
end
`;

/**
 * Moves a session atomically (standalone and Sentinel): writes the new record and deletes the old
 * one only if the old one still exists and still belongs to the same user. Returns 1 when moved.
 * KEYS[1] the old record, KEYS[2] the new one; ARGV[1] userField, ARGV[2] the expected user,
 * ARGV[3] the new record's JSON, ARGV[4] its TTL in ms.
 */
export const MOVE_SCRIPT = `${OLD_RECORD_STILL_OURS}
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * Cluster: deletes the old record only if it still exists and belongs to the same user; 1 when
 * deleted (the move may stand), 0 when it was gone (the move is undone). KEYS[1] the old record;
 * ARGV[1] userField, ARGV[2] the expected user.
 */
export const MOVE_TAKE_SCRIPT = `${OLD_RECORD_STILL_OURS}
redis.call('DEL', KEYS[1])
return 1
`;
