// The Workbench: a static page served by Sightline itself. GET / is the page (web/index.html); its styles
// and icon are under /workbench/web/…, read from `web/`. Its scripts are TypeScript compiled by `npm run
// build` (web/tsconfig.json) into dist/workbench/, which mirrors the repository: /workbench/web/app.js is
// web/app.ts, and the server's own modules the page imports (the image plan and checks, the SSE decoder) are
// /workbench/src/…, compiled from src/ into the same tree, not copies. That program is type-checked with the
// DOM and without Node's types, so whatever it holds can run in a browser. 503 when it is not built.
// `vision-rules.js` tells the page which revision of the image rules this server follows.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError, notFound } from '../../errors/index.js';
import { DEFAULT_VISION_RULES, type VisionRules } from '../../imaging/index.js';
import { pathOf } from '../../net/index.js';

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
/** A folder of src/ (one level: src/imaging, src/net, …). */
const FOLDER_NAME = /^[a-z][a-z-]*$/;

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

/** The page and its files: public, like /healthz (the page asks for the key itself). */
export const WORKBENCH_ROUTES = ['/', '/workbench/web/:file', '/workbench/src/:folder/:file'] as const;
const [PAGE, WEB_FILE, SRC_FILE] = WORKBENCH_ROUTES;

export function registerWorkbenchRoutes(
  app: FastifyInstance,
  options: { visionRules?: VisionRules | undefined } = {},
): void {
  const visionRulesModule = `// The revision of the image rules this server follows.\nexport const VISION_RULES = ${JSON.stringify(options.visionRules ?? DEFAULT_VISION_RULES)};\n`;
  const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const webDir = join(root, 'web');
  /** The page's compiled program: dist/workbench/web/*.js and the src/ modules they import. */
  const pageDir = join(root, 'dist', 'workbench');
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

  const notBuilt = () =>
    new ApiError(
      503,
      'api_error',
      'The Workbench is not built (dist/workbench/ is missing): run `npm run build` and reload.',
    );

  /** A compiled module of the page's program; 404 when there is none, 503 when nothing is built. */
  function compiled(reply: FastifyReply, path: string, url: string) {
    if (!existsSync(pageDir)) throw notBuilt();
    if (!path.startsWith(pageDir + sep) || !existsSync(path)) throw notFound(`Not found: GET ${url}`);
    return send(reply, path);
  }

  app.get(PAGE, async (_request, reply) => {
    if (!existsSync(join(pageDir, 'web', 'main.js'))) throw notBuilt();
    return send(reply, join(webDir, 'index.html'));
  });

  app.get(WEB_FILE, async (request, reply) => {
    const { file } = request.params as { file: string };
    const url = pathOf(request.url);
    if (!FILE_NAME.test(file)) throw notFound(`Not found: GET ${url}`);
    if (file === 'vision-rules.js') return send(reply, file, visionRulesModule);
    const vendor = VENDOR_MODULES[file];
    if (vendor) return send(reply, vendorPath(vendor));
    if (extname(file) === '.js') return compiled(reply, join(pageDir, 'web', file), url);
    const path = join(webDir, file);
    if (!path.startsWith(webDir + sep) || !existsSync(path)) throw notFound(`Not found: GET ${url}`);
    return send(reply, path);
  });

  app.get(SRC_FILE, async (request, reply) => {
    const { folder, file } = request.params as { folder: string; file: string };
    const url = pathOf(request.url);
    if (!FOLDER_NAME.test(folder) || !FILE_NAME.test(file) || extname(file) !== '.js')
      throw notFound(`Not found: GET ${url}`);
    return compiled(reply, join(pageDir, 'src', folder, file), url);
  });
}
