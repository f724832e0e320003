// The download target from content-disposition: a safe basename or nothing.
import { describe, expect, it } from 'vitest';
import { filenameFromDisposition } from './files-download.js';

describe('filenameFromDisposition', () => {
  it('quoted', () => expect(filenameFromDisposition('attachment; filename="photo.png"')).toBe('photo.png'));
  it('bare', () => expect(filenameFromDisposition('attachment; filename=photo.png')).toBe('photo.png'));
  it('RFC 5987', () =>
    expect(filenameFromDisposition("attachment; filename*=UTF-8''f%C3%BCr%20dich.png")).toBe('für dich.png'));
  it('paths are cut to the basename', () =>
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd'));
  it('nothing usable', () => {
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
    expect(filenameFromDisposition('attachment; filename=".."')).toBeNull();
  });
});
