// Token buckets in Redis, so every replica counts against the same limits. One Lua script refills and
// takes atomically (the same arithmetic as `applyTakes`); each bucket is a hash {level, at} that expires
// once it would be full again anyway.
import { Redis } from 'ioredis';
import { type BucketStore, type BucketTake, needed } from './token-bucket.js';

// KEYS: bucket keys. ARGV: now, then capacity, amount, need for each bucket, then 'take' or 'charge'.
const SCRIPT = `
local now = tonumber(ARGV[1])
local mode = ARGV[#ARGV]
local levels = {}
local retry = 0
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 + (i - 1) * 3])
  local need = tonumber(ARGV[4 + (i - 1) * 3])
  local stored = redis.call('HMGET', key, 'level', 'at')
  local level = capacity
  if stored[1] then
    local elapsed = math.max(0, now - tonumber(stored[2]))
    level = math.min(capacity, tonumber(stored[1]) + elapsed * capacity / 60000)
  end
  levels[i] = level
  if mode == 'take' and need > level then
    retry = math.max(retry, (need - level) / (capacity / 60000))
  end
end
local ok = retry == 0
local out = {}
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 + (i - 1) * 3])
  local amount = tonumber(ARGV[3 + (i - 1) * 3])
  local level = levels[i]
  if ok then level = level - amount end
  redis.call('HSET', key, 'level', tostring(level), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil((capacity - level) / (capacity / 60000)) + 1000)
  out[i] = tostring(level)
end
table.insert(out, tostring(retry))
return out
`;

export function createRedisBucketStore(url: string, options: { prefix?: string } = {}): BucketStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', () => undefined); // reconnects by itself; failures surface on the commands
  redis.defineCommand('sightlineTake', { lua: SCRIPT }); // the key count is the first argument
  const prefix = options.prefix ?? 'sightline:rl:';
  const run = async (takes: readonly BucketTake[], nowMs: number, mode: 'take' | 'charge') => {
    const args: Array<string | number> = [takes.length, ...takes.map((take) => prefix + take.key), nowMs];
    for (const take of takes) args.push(take.capacity, take.amount, needed(take));
    args.push(mode);
    const reply = (await (
      redis as unknown as Record<string, (...a: unknown[]) => Promise<string[]>>
    ).sightlineTake?.(...args)) as string[];
    return reply.map(Number);
  };
  return {
    async take(takes, nowMs) {
      const reply = await run(takes, nowMs, 'take');
      const retryAfterMs = Math.ceil(reply.at(-1) ?? 0);
      return {
        ok: retryAfterMs === 0,
        retryAfterMs,
        states: takes.map((take, index) => {
          const level = reply[index] as number;
          return {
            remaining: Math.max(0, Math.floor(level)),
            resetMs: nowMs + Math.ceil(Math.max(0, take.capacity - level) / (take.capacity / 60_000)),
          };
        }),
      };
    },
    async charge(take, nowMs) {
      await run([take], nowMs, 'charge');
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
