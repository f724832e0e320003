// The glob matcher as one-liners, and directory and glob walks over a temporary tree.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayPath, findFiles, globToRegExp, hasGlob, splitGlob, walkFiles } from './find-files.js';

const matches = (pattern: string, path: string) => globToRegExp(pattern).test(path);

describe('globToRegExp', () => {
  it('* stays within a directory', () => {
    expect(matches('*.jpg', 'a.jpg')).toBe(true);
    expect(matches('*.jpg', 'x/a.jpg')).toBe(false);
  });
  it('** spans directories, zero or more', () => {
    expect(matches('**/*.jpg', 'a.jpg')).toBe(true);
    expect(matches('**/*.jpg', 'x/y/a.jpg')).toBe(true);
    expect(matches('x/**/a.jpg', 'x/a.jpg')).toBe(true);
    expect(matches('x/**', 'x/y/z')).toBe(true);
  });
  it('? is one character', () => expect(matches('a?.png', 'ab.png')).toBe(true));
  it('{a,b} alternatives', () => {
    expect(matches('*.{jpg,png}', 'a.png')).toBe(true);
    expect(matches('*.{jpg,png}', 'a.gif')).toBe(false);
  });
  it('[abc] classes, [!abc] negated', () => {
    expect(matches('[ab].gif', 'b.gif')).toBe(true);
    expect(matches('[!ab].gif', 'b.gif')).toBe(false);
  });
  it('dots and parentheses are literal', () => expect(matches('a(1).jpg', 'a(1)xjpg')).toBe(false));
  it('hasGlob', () => {
    expect(hasGlob('photos/*.jpg')).toBe(true);
    expect(hasGlob('photos/a.jpg')).toBe(false);
  });
  it('splitGlob', () => {
    expect(splitGlob('photos/2024/**/*.jpg')).toEqual({ base: 'photos/2024', rest: '**/*.jpg' });
    expect(splitGlob('*.png')).toEqual({ base: '.', rest: '*.png' });
    expect(splitGlob('/data/*.png')).toEqual({ base: '/data', rest: '*.png' });
  });
});

describe('walking', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sightline-find-'));
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    await mkdir(join(root, '.git'));
    for (const path of [
      'top.jpg',
      'top.png',
      'a/one.jpg',
      'a/b/two.jpg',
      'a/b/notes.txt',
      '.hidden.jpg',
      '.git/x.jpg',
    ])
      await writeFile(join(root, path), 'x');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('walkFiles: sorted, recursive, hidden entries skipped', async () =>
    expect(await walkFiles(root)).toEqual([
      'a/b/notes.txt',
      'a/b/two.jpg',
      'a/one.jpg',
      'top.jpg',
      'top.png',
    ]));
  it('walkFiles: depth-limited', async () =>
    expect(await walkFiles(root, 1)).toEqual(['top.jpg', 'top.png']));
  it('a directory, a file, globs; duplicates once; unmatched inputs reported', async () => {
    const found = await findFiles(['a', 'top.png', '**/*.jpg', '*.gif', 'missing'], root);
    expect(found.files.map((file) => displayPath(file, root))).toEqual([
      'a/b/notes.txt',
      'a/b/two.jpg',
      'a/one.jpg',
      'top.png',
      'top.jpg',
    ]);
    expect(found.unmatched).toEqual(['*.gif', 'missing']);
  });
  it('* does not descend', async () =>
    expect((await findFiles(['*.jpg'], root)).files.map((file) => displayPath(file, root))).toEqual([
      'top.jpg',
    ]));
  it('an absolute glob', async () =>
    expect((await findFiles([join(root, 'a', '*', '*.jpg')], '/')).files).toEqual([
      join(root, 'a', 'b', 'two.jpg'),
    ]));
});
