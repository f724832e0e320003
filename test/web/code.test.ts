// Unit test of the Workbench's copy-as-TypeScript generator (web/code.ts): file names are inserted
// literally, even those holding `$` replacement patterns.
import { describe, expect, it } from 'vitest';
import type { MessagesRequest } from '../../src/wire/index.js';
import { toTypeScript } from '../../web/code.js';

describe('toTypeScript', () => {
  it.each(["a$'b.png", 'a$&b.png', 'a$`b.png', 'a$$b.png', 'a$1b.png'])(
    'inserts the file name %s literally',
    (filename) => {
      const marker = '__image_0__';
      const body: MessagesRequest = {
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
