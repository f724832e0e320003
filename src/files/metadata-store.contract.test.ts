// The one contract every MetadataStore passes, run against SQLite (a temp file) and PostgreSQL (a fresh
// schema per test in SIGHTLINE_TEST_POSTGRES_URL; `bash scripts/ensure-postgres.sh` provides one).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../usage/types.js';
import { createPostgresMetadataStore } from './postgres-metadata-store.js';
import { createSqliteMetadataStore } from './sqlite-metadata-store.js';
import { type FileRecord, type MetadataStore, UnknownCursorError } from './types.js';

/** One empty storage place; `open()` may be called several times on it, like several server processes. */
interface Location {
  open(): Promise<MetadataStore>;
  dispose(): Promise<void>;
}

interface Backend {
  name: string;
  createLocation(): Promise<Location>;
}

const sqliteBackend: Backend = {
  name: 'sqlite',
  async createLocation() {
    const directory = await mkdtemp(join(tmpdir(), 'sightline-metadata-'));
    const path = join(directory, 'files.db');
    return {
      open: async () => createSqliteMetadataStore(path),
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  },
};

const POSTGRES_URL =
  process.env.SIGHTLINE_TEST_POSTGRES_URL ?? 'postgres://sightline:sightline@127.0.0.1:5432/sightline_test';

const redacted = (url: string): string => url.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');

/** Set once a connection failed, so the other tests fail at once rather than each waiting out a timeout. */
let postgresUnreachable: Error | undefined;

/** Connects as the test role, or fails with what to do: these tests never skip silently. */
async function connectPostgres(): Promise<pg.Client> {
  if (postgresUnreachable) throw postgresUnreachable;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    postgresUnreachable = new Error(
      `PostgreSQL is not reachable at ${redacted(POSTGRES_URL)} (${(error as Error).message}): ` +
        `run 'bash scripts/ensure-postgres.sh' or set SIGHTLINE_TEST_POSTGRES_URL`,
    );
    throw postgresUnreachable;
  }
  return client;
}

const postgresBackend: Backend = {
  name: 'postgres',
  async createLocation() {
    const schema = `sightline_contract_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = await connectPostgres();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
    } finally {
      await admin.end();
    }
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      open: () => createPostgresMetadataStore(url.toString()),
      async dispose() {
        const client = await connectPostgres();
        try {
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

const NOW = new Date('2031-05-06T07:08:09.123Z');
const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();

let counter = 0;
function makeRecord(overrides: Partial<FileRecord> = {}): FileRecord {
  counter += 1;
  return {
    id: `file_${String(counter).padStart(6, '0')}_${randomBytes(3).toString('hex')}`,
    workspace: 'workspace-a',
    filename: `image-${counter}.png`,
    mimeType: 'image/png',
    sizeBytes: 1000 + counter,
    sha256: randomBytes(32).toString('hex'),
    createdAt: at(-60_000),
    expiresAt: null,
    downloadable: false,
    ...overrides,
  };
}

function makeUsage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    timeMs: NOW.getTime(),
    requestId: `req_${randomBytes(6).toString('hex')}`,
    kind: 'messages',
    workspace: 'workspace-a',
    apiKeyId: 'apikey_a',
    model: 'claude-sonnet-4-5',
    backend: 'local',
    rules: '2026-09',
    status: 200,
    errorType: null,
    inputTokens: 1000,
    outputTokens: 100,
    images: 1,
    imageTokens: 800,
    latencyMs: 12.5,
    inputCostUsd: 0.003,
    outputCostUsd: 0.0015,
    ...overrides,
  };
}

const ids = (records: FileRecord[]): string[] => records.map((record) => record.id);
const byId = (left: FileRecord, right: FileRecord): number => left.id.localeCompare(right.id);

describe.each([sqliteBackend, postgresBackend])('MetadataStore contract: $name', (backend) => {
  let location: Location | undefined;
  let store: MetadataStore;
  const opened: MetadataStore[] = [];

  const open = async (): Promise<MetadataStore> => {
    if (!location) throw new Error('no storage location: beforeEach failed');
    const another = await location.open();
    opened.push(another);
    return another;
  };

  /** Inserts `count` records into workspace-a, one after another; returns them oldest first. */
  const insertMany = async (count: number): Promise<FileRecord[]> => {
    const records: FileRecord[] = [];
    for (let index = 0; index < count; index += 1) {
      const record = makeRecord();
      await store.insert(record);
      records.push(record);
    }
    return records;
  };

  beforeEach(async () => {
    location = await backend.createLocation();
    store = await open();
  });

  it('sums successful messages usage per bucket, model, key and workspace', async () => {
    const hour = 3_600_000;
    const start = NOW.getTime();
    await store.recordUsage([
      makeUsage(),
      makeUsage({ timeMs: start + 10, inputTokens: 500, outputTokens: 50, images: 2, imageTokens: 300 }),
      makeUsage({ timeMs: start + hour + 1, apiKeyId: 'apikey_b', workspace: 'workspace-b' }),
      makeUsage({ timeMs: start + 2 * hour, model: 'claude-haiku-4-5', inputCostUsd: 0.001 }),
      makeUsage({ timeMs: start + 5, kind: 'count_tokens' }), // not billed
      makeUsage({ timeMs: start + 6, status: 429, errorType: 'rate_limit_error' }), // not billed
      makeUsage({ timeMs: start - 1 }), // before the range
      makeUsage({ timeMs: start + 3 * hour }), // at the (exclusive) end
    ]);
    const rows = await store.queryUsage({ startMs: start, endMs: start + 3 * hour, widthMs: hour });
    expect(rows).toEqual([
      {
        bucket: 0,
        model: 'claude-sonnet-4-5',
        apiKeyId: 'apikey_a',
        workspace: 'workspace-a',
        requests: 2,
        inputTokens: 1500,
        outputTokens: 150,
        images: 3,
        imageTokens: 1100,
        inputCostUsd: expect.closeTo(0.006, 9),
        outputCostUsd: expect.closeTo(0.003, 9),
      },
      expect.objectContaining({ bucket: 1, apiKeyId: 'apikey_b', workspace: 'workspace-b', requests: 1 }),
      expect.objectContaining({
        bucket: 2,
        model: 'claude-haiku-4-5',
        inputCostUsd: expect.closeTo(0.001, 9),
      }),
    ]);
    const filtered = await store.queryUsage({
      startMs: start,
      endMs: start + 3 * hour,
      widthMs: 3 * hour,
      models: ['claude-sonnet-4-5'],
      apiKeyIds: ['apikey_a', 'apikey_z'],
      workspaces: ['workspace-a'],
    });
    expect(filtered).toEqual([expect.objectContaining({ bucket: 0, requests: 2, inputTokens: 1500 })]);
    expect(
      await store.queryUsage({ startMs: start, endMs: start + hour, widthMs: hour, models: [] }),
    ).toEqual([]);
  });

  it('shares usage between processes: recorded by one, summed by another', async () => {
    const other = await open();
    await other.recordUsage(
      Array.from({ length: 300 }, (_, index) => makeUsage({ timeMs: NOW.getTime() + index })),
    );
    const reopened = await open();
    const [row] = await reopened.queryUsage({
      startMs: NOW.getTime(),
      endMs: NOW.getTime() + 60_000,
      widthMs: 60_000,
    });
    expect(row?.requests).toBe(300);
    expect(row?.inputTokens).toBe(300_000);
  });

  afterEach(async () => {
    const current = location;
    location = undefined;
    await Promise.all(opened.splice(0).map((each) => each.close()));
    await current?.dispose();
  });

  it('returns an inserted record exactly as given', async () => {
    const plain = makeRecord();
    const full = makeRecord({
      filename: 'diagram ünïcode “quoted”.webp',
      mimeType: 'image/webp',
      sizeBytes: 2 ** 40,
      createdAt: '2031-05-06T07:08:09.123Z',
      expiresAt: at(3_600_000),
      downloadable: true,
    });
    await store.insert(plain);
    await store.insert(full);
    expect(await store.get('workspace-a', plain.id, NOW)).toStrictEqual(plain);
    expect(await store.get('workspace-a', full.id, NOW)).toStrictEqual(full);
    expect(await store.get('workspace-a', 'file_missing', NOW)).toBeUndefined();
  });

  it('rejects a second record with an existing id', async () => {
    const record = makeRecord();
    await store.insert(record);
    await expect(store.insert({ ...record, workspace: 'workspace-b' })).rejects.toThrow();
    expect(await store.get('workspace-b', record.id, NOW)).toBeUndefined();
  });

  it('deletes and returns the record, once', async () => {
    const record = makeRecord({ expiresAt: at(1000), downloadable: true });
    await store.insert(record);
    expect(await store.delete('workspace-a', record.id)).toStrictEqual(record);
    expect(await store.get('workspace-a', record.id, NOW)).toBeUndefined();
    expect(await store.delete('workspace-a', record.id)).toBeUndefined();
    expect(await store.list('workspace-a', { limit: 20, now: NOW })).toStrictEqual({
      data: [],
      hasMore: false,
    });
  });

  it('keeps each workspace to itself: get, list, delete and cursors', async () => {
    const mine = makeRecord({ workspace: 'workspace-a' });
    const theirs = makeRecord({ workspace: 'workspace-b' });
    await store.insert(mine);
    await store.insert(theirs);

    expect(await store.get('workspace-b', mine.id, NOW)).toBeUndefined();
    expect(await store.get('workspace-a', theirs.id, NOW)).toBeUndefined();
    expect(await store.list('workspace-a', { limit: 20, now: NOW })).toStrictEqual({
      data: [mine],
      hasMore: false,
    });
    expect(await store.list('workspace-b', { limit: 20, now: NOW })).toStrictEqual({
      data: [theirs],
      hasMore: false,
    });
    expect(await store.list('workspace-c', { limit: 20, now: NOW })).toStrictEqual({
      data: [],
      hasMore: false,
    });
    await expect(
      store.list('workspace-a', { limit: 20, afterId: theirs.id, now: NOW }),
    ).rejects.toBeInstanceOf(UnknownCursorError);
    await expect(
      store.list('workspace-a', { limit: 20, beforeId: theirs.id, now: NOW }),
    ).rejects.toBeInstanceOf(UnknownCursorError);

    expect(await store.delete('workspace-b', mine.id)).toBeUndefined();
    expect(await store.get('workspace-a', mine.id, NOW)).toStrictEqual(mine);
  });

  it('pages 250 records by 100: after_id walks down, before_id walks back up, has_more right at both ends', async () => {
    const oldestFirst = await insertMany(250);
    const newestFirst = [...oldestFirst].reverse();
    const newest = newestFirst[0] as FileRecord;
    const oldest = oldestFirst[0] as FileRecord;

    // Down: newest page first, then after the last id of each page.
    const down: FileRecord[] = [];
    const downHasMore: boolean[] = [];
    let afterId: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await store.list('workspace-a', { limit: 100, now: NOW, ...(afterId ? { afterId } : {}) });
      down.push(...page.data);
      downHasMore.push(page.hasMore);
      if (!page.hasMore) break;
      afterId = page.data.at(-1)?.id;
    }
    expect(downHasMore).toStrictEqual([true, true, false]);
    expect(ids(down)).toStrictEqual(ids(newestFirst));
    expect(new Set(ids(down)).size).toBe(250);
    expect(await store.list('workspace-a', { limit: 100, afterId: oldest.id, now: NOW })).toStrictEqual({
      data: [],
      hasMore: false,
    });

    // Up: before the oldest, then before the first (newest) id of each page; every page is newest first.
    const up: FileRecord[][] = [];
    const upHasMore: boolean[] = [];
    let beforeId = oldest.id;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await store.list('workspace-a', { limit: 100, beforeId, now: NOW });
      up.push(page.data);
      upHasMore.push(page.hasMore);
      if (!page.hasMore) break;
      beforeId = (page.data[0] as FileRecord).id;
    }
    expect(upHasMore).toStrictEqual([true, true, false]);
    expect(up.map((page) => page.length)).toStrictEqual([100, 100, 49]);
    expect(new Set([oldest.id, ...ids(up.flat())]).size).toBe(250); // every record once, none repeated
    expect(up.map(ids)).toStrictEqual([
      ids(oldestFirst.slice(1, 101).reverse()),
      ids(oldestFirst.slice(101, 201).reverse()),
      ids(oldestFirst.slice(201, 250).reverse()),
    ]);
    expect(await store.list('workspace-a', { limit: 100, beforeId: newest.id, now: NOW })).toStrictEqual({
      data: [],
      hasMore: false,
    });
  });

  it('honours limit 1 and limit 1000', async () => {
    const oldestFirst = await insertMany(250);
    const newestFirst = [...oldestFirst].reverse();

    const first = await store.list('workspace-a', { limit: 1, now: NOW });
    expect(first).toStrictEqual({ data: [newestFirst[0]], hasMore: true });
    const second = await store.list('workspace-a', {
      limit: 1,
      afterId: newestFirst[0]?.id as string,
      now: NOW,
    });
    expect(second).toStrictEqual({ data: [newestFirst[1]], hasMore: true });
    const last = await store.list('workspace-a', {
      limit: 1,
      afterId: newestFirst[248]?.id as string,
      now: NOW,
    });
    expect(last).toStrictEqual({ data: [newestFirst[249]], hasMore: false });
    const upFromOldest = await store.list('workspace-a', {
      limit: 1,
      beforeId: oldestFirst[0]?.id as string,
      now: NOW,
    });
    expect(upFromOldest).toStrictEqual({ data: [oldestFirst[1]], hasMore: true });
    const upToNewest = await store.list('workspace-a', {
      limit: 1,
      beforeId: newestFirst[1]?.id as string,
      now: NOW,
    });
    expect(upToNewest).toStrictEqual({ data: [newestFirst[0]], hasMore: false });

    const everything = await store.list('workspace-a', { limit: 1000, now: NOW });
    expect(everything.hasMore).toBe(false);
    expect(everything.data).toStrictEqual(newestFirst);
  });

  it('throws UnknownCursorError for a cursor that names no file', async () => {
    await insertMany(3);
    await expect(
      store.list('workspace-a', { limit: 10, afterId: 'file_nope', now: NOW }),
    ).rejects.toBeInstanceOf(UnknownCursorError);
    await expect(
      store.list('workspace-a', { limit: 10, beforeId: 'file_nope', now: NOW }),
    ).rejects.toBeInstanceOf(UnknownCursorError);
  });

  it('hides expired records from get and list, and purges exactly them', async () => {
    const live = makeRecord({ expiresAt: at(1) });
    const forever = makeRecord({ expiresAt: null });
    const expiredNow = makeRecord({ expiresAt: at(0) });
    const expiredLong = makeRecord({ expiresAt: at(-86_400_000) });
    const expiredElsewhere = makeRecord({ workspace: 'workspace-b', expiresAt: at(-1) });
    for (const record of [live, expiredNow, forever, expiredLong, expiredElsewhere])
      await store.insert(record);

    expect(await store.get('workspace-a', live.id, NOW)).toStrictEqual(live);
    expect(await store.get('workspace-a', expiredNow.id, NOW)).toBeUndefined();
    expect(await store.get('workspace-a', expiredLong.id, NOW)).toBeUndefined();
    expect(await store.get('workspace-b', expiredElsewhere.id, NOW)).toBeUndefined();
    expect(await store.list('workspace-a', { limit: 100, now: NOW })).toStrictEqual({
      data: [forever, live],
      hasMore: false,
    });
    // An expired file still works as a cursor (a page walk survives files expiring under it), and expired
    // files do not count towards has_more.
    expect(await store.list('workspace-a', { limit: 1, afterId: expiredNow.id, now: NOW })).toStrictEqual({
      data: [live],
      hasMore: false,
    });
    expect(await store.list('workspace-a', { limit: 1, beforeId: expiredNow.id, now: NOW })).toStrictEqual({
      data: [forever],
      hasMore: false,
    });
    // Still there for an earlier clock: expiry is a view, until purged.
    expect(await store.get('workspace-a', expiredNow.id, new Date(NOW.getTime() - 1))).toStrictEqual(
      expiredNow,
    );

    const purged = await store.purgeExpired(NOW);
    expect([...purged].sort(byId)).toStrictEqual([expiredNow, expiredLong, expiredElsewhere].sort(byId));
    expect(await store.purgeExpired(NOW)).toStrictEqual([]);
    expect(await store.get('workspace-a', expiredNow.id, new Date(0))).toBeUndefined();
    expect(await store.list('workspace-a', { limit: 100, now: new Date(0) })).toStrictEqual({
      data: [forever, live],
      hasMore: false,
    });
  });

  it('counts a blob referenced while any record of any workspace uses it', async () => {
    const sha256 = randomBytes(32).toString('hex');
    const first = makeRecord({ sha256, workspace: 'workspace-a' });
    const second = makeRecord({ sha256, workspace: 'workspace-b', expiresAt: at(-1000) });
    await store.insert(first);
    await store.insert(second);
    expect(await store.isBlobReferenced(sha256)).toBe(true);
    expect(await store.isBlobReferenced(randomBytes(32).toString('hex'))).toBe(false);

    await store.delete('workspace-a', first.id);
    expect(await store.isBlobReferenced(sha256)).toBe(true); // expired but not yet purged: still referenced
    await store.purgeExpired(NOW);
    expect(await store.isBlobReferenced(sha256)).toBe(false);
  });

  it('keeps records across close and reopen', async () => {
    const records = await insertMany(3);
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    store = await open();
    expect(await store.list('workspace-a', { limit: 10, now: NOW })).toStrictEqual({
      data: [...records].reverse(),
      hasMore: false,
    });
  });

  it('serves two stores opened at once on the same storage, like two server processes', async () => {
    // A location of its own that neither store has seen, so both create the schema at the same time.
    const shared = await backend.createLocation();
    try {
      const [one, two] = await Promise.all([shared.open(), shared.open()]);
      try {
        const fromOne = makeRecord();
        const fromTwo = makeRecord();
        await one.insert(fromOne);
        await two.insert(fromTwo);
        expect(await two.get('workspace-a', fromOne.id, NOW)).toStrictEqual(fromOne);
        expect(await one.get('workspace-a', fromTwo.id, NOW)).toStrictEqual(fromTwo);
        const expected = { data: [fromTwo, fromOne], hasMore: false };
        expect(await one.list('workspace-a', { limit: 10, now: NOW })).toStrictEqual(expected);
        expect(await two.list('workspace-a', { limit: 10, now: NOW })).toStrictEqual(expected);

        expect(await two.delete('workspace-a', fromOne.id)).toStrictEqual(fromOne);
        expect(await one.get('workspace-a', fromOne.id, NOW)).toBeUndefined();
        expect(await one.isBlobReferenced(fromOne.sha256)).toBe(false);
        expect(await one.delete('workspace-a', fromTwo.id)).toStrictEqual(fromTwo);
        expect(await two.list('workspace-a', { limit: 10, now: NOW })).toStrictEqual({
          data: [],
          hasMore: false,
        });
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    } finally {
      await shared.dispose();
    }
  });
});
