import { describe, expect, it } from 'vitest';
import { createCatalog, maxImagesFor } from '../../../src/catalog/index.js';
import { createLruCache } from '../../../src/imaging/cache.js';
import { createImagePipeline } from '../../../src/imaging/pipeline.js';
import { noisyJpeg, solid } from '../../support/images.js';

const model = createCatalog().find('claude-sonnet-4-6')!;
const target = { id: model.id, profile: model.profile, maxImages: maxImagesFor(model) };

describe('createLruCache', () => {
  it('evicts least recently used entries past the byte bound', () => {
    const cache = createLruCache<string>(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')).toBe('A'); // a is now the most recent
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.stats).toMatchObject({ entries: 2, bytes: 80, evictions: 1 });
    cache.set('huge', 'H', 101);
    expect(cache.get('huge')).toBeUndefined();
  });
});

describe('createImagePipeline: content-hash cache (docs/rules/images.md §12)', () => {
  it('renders the same image once, however it arrives', async () => {
    const pipeline = createImagePipeline();
    const bytes = await noisyJpeg(1600, 1200);
    const base64 = {
      path: 'messages.0.content.0',
      source: { kind: 'base64' as const, mediaType: 'image/jpeg', data: bytes.toString('base64') },
    };
    const first = await pipeline.prepare([base64], target);
    const misses = pipeline.cacheStats.misses;
    const again = await pipeline.prepare([base64], target);
    expect(again[0]!.view).toBe(first[0]!.view); // the cached object, not a new render
    expect(pipeline.cacheStats.misses).toBe(misses);
    // the same bytes from a file source hit the same rendered view
    const fromFile = await pipeline.prepare(
      [{ path: 'messages.1.content.0', source: { kind: 'file', bytes: Buffer.from(bytes) } }],
      target,
    );
    expect(fromFile[0]!.view).toBe(first[0]!.view);
  });

  it('renders identical images in one request once, concurrently', async () => {
    const pipeline = createImagePipeline();
    const data = (await solid(900, 900, [1, 2, 3]).png().toBuffer()).toString('base64');
    const images = Array.from({ length: 5 }, (_, index) => ({
      path: `messages.0.content.${index}`,
      source: { kind: 'base64' as const, mediaType: 'image/png', data },
    }));
    const prepared = await pipeline.prepare(images, target);
    expect(new Set(prepared.map((item) => item.view)).size).toBe(1);
  });

  it('a different model profile is a different view', async () => {
    const pipeline = createImagePipeline();
    const source = { kind: 'file' as const, bytes: await solid(2000, 1500, [9, 9, 9]).png().toBuffer() };
    const [standard] = await pipeline.prepare([{ path: 'p', source }], target);
    const opus = createCatalog().find('claude-opus-4-7')!;
    const [highRes] = await pipeline.prepare([{ path: 'p', source }], {
      id: opus.id,
      profile: opus.profile,
      maxImages: 600,
    });
    expect([standard!.view.width, highRes!.view.width]).toEqual([1288, 2016]);
  });

  it('stays within its byte bound', async () => {
    const pipeline = createImagePipeline({ cacheBytes: 2_000_000 });
    for (let index = 0; index < 12; index += 1) {
      const bytes = await solid(600, 600, [index * 20, 0, 0])
        .png()
        .toBuffer();
      await pipeline.prepare([{ path: 'p', source: { kind: 'file', bytes } }], target);
    }
    expect(pipeline.cacheStats.bytes).toBeLessThanOrEqual(2_000_000);
  });

  it('a source with the same fingerprint but other content is never taken for the cached one', async () => {
    const pipeline = createImagePipeline();
    const first = await noisyJpeg(400, 300);
    const data = first.toString('base64');
    // same length, same start, middle and end windows: only bytes between the windows differ
    const position = 6000;
    const swapped = data[position] === 'A' ? 'B' : 'A';
    const collision = data.slice(0, position) + swapped + data.slice(position + 1);
    const invalid = data.slice(0, position) + '!' + data.slice(position + 1);
    const source = (text: string) => ({ kind: 'base64' as const, mediaType: 'image/jpeg', data: text });
    const original = pipeline.decodeSource(source(data))!;
    const other = pipeline.decodeSource(source(collision))!;
    expect(other.bytes.equals(original.bytes)).toBe(false);
    expect(other.hash).not.toBe(original.hash);
    // an invalid string that collides with a cached valid one is still refused as invalid base64
    pipeline.decodeSource(source(data));
    expect(pipeline.decodeSource(source(invalid))).toBeNull();
    // the same for raw bytes (url and file sources)
    const bytes = Buffer.from(first);
    const changed = Buffer.from(first);
    changed[5000] = (changed[5000]! + 1) & 0xff;
    const cachedBytes = pipeline.decodeSource({ kind: 'file', bytes })!;
    const changedBytes = pipeline.decodeSource({ kind: 'file', bytes: changed })!;
    expect(changedBytes.hash).not.toBe(cachedBytes.hash);
  });

  it('a repeated source skips hashing: the cached decode is returned', async () => {
    const pipeline = createImagePipeline();
    const data = (await noisyJpeg(300, 200)).toString('base64');
    const first = pipeline.decodeSource({ kind: 'base64', mediaType: 'image/jpeg', data });
    const copy = `${data.slice(0, 10)}${data.slice(10)}`; // an equal string that is another object
    expect(pipeline.decodeSource({ kind: 'base64', mediaType: 'image/jpeg', data: copy })).toBe(first);
  });
});
