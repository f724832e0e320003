// Unit test of the Workbench's copy-as-TypeScript generator (web/code.js, plain browser JavaScript):
// file names are inserted literally, even those holding `$` replacement patterns.
import { describe, expect, it } from 'vitest';

type ToTypeScript = (
  body: Record<string, unknown>,
  options: { origin: string; files: Map<string, string>; fileIds: boolean },
) => string;

// A computed specifier: web/ is plain JavaScript outside the type-checked tree.
const codeModule = new URL('../../web/code.js', import.meta.url).href;
const { toTypeScript } = (await import(codeModule)) as { toTypeScript: ToTypeScript };

describe('toTypeScript', () => {
  it.each(["a$'b.png", 'a$&b.png', 'a$`b.png', 'a$$b.png', 'a$1b.png'])(
    'inserts the file name %s literally',
    (filename) => {
      const marker = '__image_0__';
      const body = {
        model: 'claude-sonnet-4-6',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: marker } }],
          },
        ],
      };
      const code = toTypeScript(body, {
        origin: 'http://127.0.0.1:8787',
        files: new Map([[marker, filename]]),
        fileIds: false,
      });
      expect(code).toContain(`data: readFileSync(${JSON.stringify(filename)}).toString('base64')\n`);
      expect(code).not.toContain(marker);
    },
  );
});
