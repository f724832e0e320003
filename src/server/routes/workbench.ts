// The Workbench: a static page served by Sightline itself. GET / is the page; its scripts and styles are
// under /workbench/…, read from `web/`. The imaging arithmetic the page shows (plan, coordinates, header
// probe, the image checks) is the server's own compiled code from dist/src/imaging, not a copy: 503 when it
// is not built. `vision-rules.js` tells the page which revision of the image rules this server follows.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError, notFound } from '../../errors/index.js';
import { DEFAULT_VISION_RULES, type VisionRules } from '../../imaging/index.js';

/** The folder holding package.json, walking up from this file (works from src/ and from dist/src/). */
function findProjectRoot(start: string): string {
  let folder = start;
  for (;;) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`workbench: no package.json above ${start}`);
    folder = parent;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Pure modules of the server's imaging code the page imports (none has a runtime import of Node). */
const SHARED_MODULES = new Set([
  'plan.js',
  'coordinates.js',
  'probe.js',
  'sniff.js',
  'rules.js',
  'checks.js',
]);

/**
 * Maintained npm packages the page imports (the markdown parser and the sanitizer), served from the app's
 * own node_modules as ES modules: the page loads nothing from outside the server.
 */
const VENDOR_MODULES: Readonly<Record<string, { pkg: string; file: string }>> = {
  'marked.js': { pkg: 'marked', file: 'marked.esm.js' },
  'purify.js': { pkg: 'dompurify', file: 'purify.es.mjs' },
};

/** A plain file name: no folders, no dots but the extension's. */
const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(?:js|css|svg)$/;

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function registerWorkbenchRoutes(
  app: FastifyInstance,
  options: { visionRules?: VisionRules | undefined } = {},
): void {
  const visionRulesModule = `// The revision of the image rules this server follows.\nexport const VISION_RULES = ${JSON.stringify(options.visionRules ?? DEFAULT_VISION_RULES)};\n`;
  const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const webDir = join(root, 'web');
  const imagingDir = join(root, 'dist', 'src', 'imaging');
  // Each package's ES module build sits next to the file `require` resolves (wherever npm put the package).
  const require = createRequire(import.meta.url);
  const vendorPath = ({ pkg, file }: { pkg: string; file: string }): string =>
    join(dirname(require.resolve(pkg)), file);

  async function send(reply: FastifyReply, path: string, content?: string) {
    const body = content ?? (await readFile(path));
    return reply
      .header('content-type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('referrer-policy', 'no-referrer')
      .send(body);
  }

  app.get('/', async (_request, reply) => send(reply, join(webDir, 'index.html')));

  app.get('/workbench/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const url = request.url.split('?')[0] ?? request.url;
    if (!FILE_NAME.test(file)) throw notFound(`Not found: GET ${url}`);
    if (file === 'vision-rules.js') return send(reply, file, visionRulesModule);
    if (SHARED_MODULES.has(file)) {
      const path = join(imagingDir, file);
      if (!existsSync(path)) {
        throw new ApiError(
          503,
          'api_error',
          `The Workbench needs the compiled imaging module dist/src/imaging/${file}, which is missing: run \`npm run build\` and reload.`,
        );
      }
      return send(reply, path);
    }
    const vendor = VENDOR_MODULES[file];
    if (vendor) return send(reply, vendorPath(vendor));
    const path = join(webDir, file);
    if (!path.startsWith(webDir + sep) || !existsSync(path)) throw notFound(`Not found: GET ${url}`);
    return send(reply, path);
  });
}
