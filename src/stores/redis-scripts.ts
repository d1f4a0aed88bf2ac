/**
 * The Lua scripts of {@link RedisStore}. Each one touches exactly one key, so they run unchanged on
 * Redis Cluster (no cross-slot access, no hash tags needed) and atomically on every deployment.
 *
 * Why not `cjson.decode` + `cjson.encode` of the whole record: Redis's cjson turns `[]` into `{}`,
 * rounds numbers to 14 significant digits and drops precision of large integers. A record merged
 * that way would silently change values the request never touched. The scanner below splits the
 * record's top level into `"key":<raw value>` pairs and copies the untouched values byte for byte;
 * only the changed keys are replaced with the JSON the client sent (made by `JSON.stringify`).
 *
 * No script calls `cjson.decode`: it rejects the `\udXXX` escape of a lone UTF-16 surrogate, which
 * `JSON.stringify` writes for a key or a value such as `'\ud800'`, so one such key would make every
 * write and every logout of that session fail. `unquote` below reads every escape; a lone surrogate
 * never fails a script.
 *
 * A record is touched only when it carries the session markers koa-session and this library always
 * write (`_expire` a number, or `_session: true`): a JSON object of another program that shares the
 * keyspace (default `prefix: ''`) is never merged into, given a TTL or deleted.
 */

/** Shared Lua helpers: a top-level JSON object scanner and the user-id reader (also used by redis-move-scripts.ts). */
export const PRELUDE = `
local find, sub, byte = string.find, string.sub, string.byte
local function ws(s, i) return find(s, '[^ \\t\\r\\n]', i) end
local function str_end(s, i)
  local j = i + 1
  while true do
    local k = find(s, '["\\\\]', j)
    if not k then return nil end
    if byte(s, k) == 92 then j = k + 2 else return k end
  end
end
local function value_end(s, i)
  local c = byte(s, i)
  if c == 34 then return str_end(s, i) end
  if c == 123 or c == 91 then
    local depth, j = 0, i
    while true do
      local k = find(s, '["{}%[%]]', j)
      if not k then return nil end
      local d = byte(s, k)
      if d == 34 then
        k = str_end(s, k)
        if not k then return nil end
      elseif d == 123 or d == 91 then depth = depth + 1
      else
        depth = depth - 1
        if depth == 0 then return k end
      end
      j = k + 1
    end
  end
  local k = find(s, '[,}%]%s]', i)
  if not k or k == i then return nil end
  return k - 1
end
local floor, char = math.floor, string.char
local ESCAPES = { [98] = '\\b', [102] = '\\f', [110] = '\\n', [114] = '\\r', [116] = '\\t', [34] = '"', [92] = '\\\\', [47] = '/' }
local function utf8(cp)
  if cp < 128 then return char(cp) end
  if cp < 2048 then return char(192 + floor(cp / 64), 128 + cp % 64) end
  if cp < 65536 then return char(224 + floor(cp / 4096), 128 + floor(cp / 64) % 64, 128 + cp % 64) end
  return char(240 + floor(cp / 262144), 128 + floor(cp / 4096) % 64, 128 + floor(cp / 64) % 64, 128 + cp % 64)
end
-- The bytes of a JSON string literal (quotes included). Never fails: a bad escape reads as U+FFFD.
-- A lone surrogate reads as its own 3 bytes when wtf8 is set (key names: distinct from U+FFFD and
-- from every other key), else as U+FFFD (user ids: what Node sends for such a JS string).
local function unquote(text, wtf8)
  if not find(text, '\\\\', 1, true) then return sub(text, 2, -2) end
  local out, i, last = {}, 2, #text - 1
  while i <= last do
    local k = find(text, '\\\\', i, true)
    if not k or k > last then out[#out + 1] = sub(text, i, last); break end
    out[#out + 1] = sub(text, i, k - 1)
    local c = byte(text, k + 1)
    if c == 117 then
      local cp = tonumber(sub(text, k + 2, k + 5), 16) or 65533
      i = k + 6
      if cp >= 55296 and cp <= 56319 and byte(text, i) == 92 and byte(text, i + 1) == 117 then
        local low = tonumber(sub(text, i + 2, i + 5), 16)
        if low and low >= 56320 and low <= 57343 then
          cp = 65536 + (cp - 55296) * 1024 + (low - 56320)
          i = i + 6
        end
      end
      if cp >= 55296 and cp <= 57343 and not wtf8 then cp = 65533 end
      out[#out + 1] = utf8(cp)
    else
      out[#out + 1] = ESCAPES[c] or utf8(65533)
      i = k + 2
    end
  end
  return table.concat(out)
end
local function key_name(text) return unquote(text, true) end
-- { {name, keyText, valueText}, ... } or nil when s is not a JSON object.
local function parse(s)
  local entries = {}
  local i = ws(s, 1)
  if not i or byte(s, i) ~= 123 then return nil end
  i = ws(s, i + 1)
  if not i then return nil end
  if byte(s, i) == 125 then return entries end
  while true do
    if byte(s, i) ~= 34 then return nil end
    local ke = str_end(s, i)
    if not ke then return nil end
    local c = ws(s, ke + 1)
    if not c or byte(s, c) ~= 58 then return nil end
    local vs = ws(s, c + 1)
    if not vs then return nil end
    local ve = value_end(s, vs)
    if not ve then return nil end
    local keyText = sub(s, i, ke)
    entries[#entries + 1] = { key_name(keyText), keyText, sub(s, vs, ve) }
    i = ws(s, ve + 1)
    if not i then return nil end
    local d = byte(s, i)
    if d == 125 then return entries end
    if d ~= 44 then return nil end
    i = ws(s, i + 1)
    if not i then return nil end
  end
end
-- The user id in a raw JSON value: a string's content or a number's text; false otherwise.
local function user_id(text)
  if not text then return false end
  local c = byte(text, 1)
  if c == 34 then
    local id = unquote(text, false)
    if id == '' then return false end
    return id
  end
  if find(text, '^%-?%d[%d%.eE%+%-]*$') then return text end
  return false
end
local function field(entries, name)
  if name == '' then return nil end
  local found = nil
  for _, e in ipairs(entries) do if e[1] == name then found = e[3] end end
  return found
end
-- Whether the entries are a session record: \`_expire\` a number, or \`_session\` true.
local function is_session(entries)
  if not entries then return false end
  local expire = field(entries, '_expire')
  if expire and find(expire, '^%-?%d[%d%.eE%+%-]*$') then return true end
  return field(entries, '_session') == 'true'
end
`;

/**
 * Merges changed keys into the record, atomically. No-op (returns nil) when the record is gone:
 * a session destroyed meanwhile (logout, "log out everywhere") must not come back as a fragment;
 * and when it is not a session record.
 *
 * KEYS[1] the record. ARGV: ttl ms, userField ('' for none), n, then n triples (name, JSON of the
 * name, JSON of the value), then the JSON of each name to delete. Names are matched by their JSON
 * (the raw name is not used: a lone surrogate would reach Redis as U+FFFD). Returns { oldUserId|false, newUserId|false }.
 */
export const PATCH_SCRIPT = `${PRELUDE}
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local entries = parse(raw)
if not is_session(entries) then return nil end
local userField = ARGV[2]
local oldUser = user_id(field(entries, userField))
local n = tonumber(ARGV[3])
local set, order, unset = {}, {}, {}
for k = 0, n - 1 do
  local name = key_name(ARGV[5 + 3 * k])
  set[name] = ARGV[5 + 3 * k] .. ':' .. ARGV[6 + 3 * k]
  order[#order + 1] = name
end
for k = 4 + 3 * n, #ARGV do unset[key_name(ARGV[k])] = true end
local out, done, newUserText = {}, {}, nil
for _, e in ipairs(entries) do
  local name = e[1]
  if set[name] then
    if not done[name] then out[#out + 1] = set[name]; done[name] = true end
  elseif not unset[name] then
    out[#out + 1] = e[2] .. ':' .. e[3]
    if name == userField then newUserText = e[3] end
  end
end
for idx, name in ipairs(order) do
  if not done[name] then out[#out + 1] = set[name]; done[name] = true end
  if name == userField then newUserText = ARGV[3 + 3 * idx] end
end
redis.call('SET', KEYS[1], '{' .. table.concat(out, ',') .. '}', 'PX', ARGV[1])
return { oldUser, user_id(newUserText) }
`;

/**
 * Removes the named top-level keys from the record, atomically, keeping its TTL and every other
 * value byte for byte (flash messages: two parallel requests never both take one).
 * KEYS[1] the record; ARGV the names. Returns { name, raw JSON value, ... } of the keys it held,
 * or nil when the record is gone.
 */
export const TAKE_SCRIPT = `${PRELUDE}
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local entries = parse(raw)
if not entries then
  return redis.error_reply('ERR koa-typed-session: the stored session ' .. KEYS[1] .. ' is not a JSON object; left unchanged')
end
local want = {}
for k = 1, #ARGV do want[ARGV[k]] = true end
local out, taken = {}, {}
for _, e in ipairs(entries) do
  if want[e[1]] then
    taken[#taken + 1] = e[1]
    taken[#taken + 1] = e[3]
  else
    out[#out + 1] = e[2] .. ':' .. e[3]
  end
end
if #taken == 0 then return taken end
local ttl = redis.call('PTTL', KEYS[1])
local record = '{' .. table.concat(out, ',') .. '}'
if ttl > 0 then redis.call('SET', KEYS[1], record, 'PX', ttl) else redis.call('SET', KEYS[1], record) end
return taken
`;

/**
 * Deletes the session record and returns its user id (or nil); leaves a record that is not a
 * session alone. KEYS[1] the record; ARGV[1] userField.
 */
export const DESTROY_SCRIPT = `${PRELUDE}
local raw = redis.call('GET', KEYS[1])
if not raw then return nil end
local entries = parse(raw)
if not is_session(entries) then return nil end
redis.call('DEL', KEYS[1])
local id = user_id(field(entries, ARGV[1]))
if id then return id end
return nil
`;

/**
 * Deletes the record only if it still belongs to the user: a stale index entry (the session was
 * logged out, then logged in as someone else) never destroys another user's session.
 * KEYS[1] the record; ARGV[1] userField, ARGV[2] user id. Returns 1 when deleted, else 0.
 */
export const DESTROY_IF_OWNED_SCRIPT = `${PRELUDE}
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local entries = parse(raw)
if not is_session(entries) or user_id(field(entries, ARGV[1])) ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * Adds a session to a user's index, a sorted set scored by the session's expiry (server clock).
 * Expired members are pruned, and the index itself expires with its longest-lived session.
 * KEYS[1] the index; ARGV[1] the session key, ARGV[2] its TTL in ms.
 */
export const INDEX_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if top[2] then redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(top[2]))) end
return 1
`;
