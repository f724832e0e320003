// A terminal screenshot drawn with sharp's text renderer (Pango, DejaVu Sans Mono): a full screen of
// text, as users send to the local engine. Deterministic for a given font set.
import sharp from 'sharp';

/** 34 lines of a terminal session: commands, build output, listings (Pango markup is escaped). */
export const TERMINAL_LINES: readonly string[] = [
  '$ git status --short && git log --oneline -3',
  ' M src/backends/local/index.ts',
  ' M src/backends/local/compose-answer.ts',
  'a388352 Dependencies for this round: SDK 1.15.0, LangChain, prom-client, ioredis',
  'b97901a Docs: tool use relayed through every backend, with examples',
  '4200c72 OpenAI-compatible backend relays tool use: tools and tool_choice to functions',
  '$ npm run build && npx vitest run src/backends/local --reporter=basic',
  '> sightline@0.1.0 build',
  '> tsc -p tsconfig.build.json',
  ' RUN  v3.2.4 /home/user/projects/sightline',
  ' PASS  src/backends/local/limit-output.test.ts (6 tests) 12ms',
  ' PASS  src/backends/local/measure-colours.test.ts (5 tests) 48ms',
  ' PASS  src/backends/local/read-ocr-lines.test.ts (4 tests) 9ms',
  ' PASS  src/backends/local/local-backend.test.ts (12 tests) 8210ms',
  ' Test Files  4 passed (4)',
  '      Tests  27 passed (27)',
  '   Duration  9.84s (transform 412ms, setup 0ms, collect 1.20s, tests 8.28s)',
  '$ ls -la data/blobs | head -6',
  'total 48',
  'drwxr-xr-x  4 user staff   128 Dec  1 09:14 .',
  'drwxr-xr-x 12 user staff   384 Dec  1 09:10 ..',
  '-rw-r--r--  1 user staff 20480 Dec  1 09:14 sightline.db',
  '-rw-r--r--  1 user staff  4096 Dec  1 09:14 sightline.db-wal',
  '$ curl -s http://localhost:8787/v1/models -H "x-api-key: $KEY" | jq -r ".data[].id"',
  'claude-opus-4-1-20250805',
  'claude-sonnet-4-5-20250929',
  '$ docker compose ps --format "table {{.Name}} {{.Image}} {{.Status}} {{.Ports}}"',
  'NAME        IMAGE            STATUS         PORTS',
  'sightline   sightline:0.1.0  Up 2 minutes   127.0.0.1:8787->8787/tcp',
  'postgres    postgres:16      Up 2 minutes   5432/tcp',
  '$ tail -n 3 server.log',
  'request completed in 1612 ms: POST /v1/messages 200 (2 images, 3136 input tokens)',
  'listening on http://127.0.0.1:8787, data directory ./.sightline, engine: local',
  '$ echo "all checks passed"',
];

const escapeMarkup = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A 1920×1080 terminal screenshot (light grey text on near-black), PNG. */
export async function terminalScreenshot(lines: readonly string[] = TERMINAL_LINES): Promise<Buffer> {
  const width = 1920;
  const height = 1080;
  const lineHeight = Math.floor((height - 40) / lines.length);
  const layers = await Promise.all(
    lines.map(async (line, index) => ({
      input: await sharp({
        text: {
          text: `<span foreground="#d8d8d8">${escapeMarkup(line)}</span>`,
          font: 'DejaVu Sans Mono 17',
          dpi: 72,
          rgba: true,
        },
      })
        .png()
        .toBuffer(),
      left: 24,
      top: 20 + index * lineHeight,
    })),
  );
  return sharp({ create: { width, height, channels: 3, background: '#1e1e1e' } })
    .composite(layers)
    .png()
    .toBuffer();
}
