// What `sightline serve` tells a person when it starts: where the Workbench is, which engine answers,
// where the data lives, and whether keys are required. Printed once, on stderr, before any log line.
import type { SightlineConfig } from '../../config/index.js';
import { LOOPBACK_HOSTS } from '../../server/main.js';
import { VERSION } from '../version.js';

const OFFLINE_ENGINE = 'built-in offline engine (measurements and OCR, no scene understanding)';

function describeModels(config: SightlineConfig): string[] {
  const routes = config.models.map(
    (model) => `${model.id} → ${model.backend} (${config.backends[model.backend]?.type ?? 'unknown'})`,
  );
  return [...routes, `every ${routes.length === 0 ? '' : 'other '}catalog model → ${OFFLINE_ENGINE}`];
}

function describeKeys(config: SightlineConfig): string {
  if (config.apiKeys.length > 0) {
    const workspaces = new Set(config.apiKeys.map((entry) => entry.workspace));
    return `${config.apiKeys.length} API key(s) configured (${workspaces.size} workspace(s)); other keys are refused`;
  }
  return LOOPBACK_HOSTS.has(config.host)
    ? 'any non-empty key (each key is its own workspace); set api_keys to restrict'
    : 'NONE REQUIRED on a non-loopback address: set api_keys';
}

export function formatBanner(config: SightlineConfig, url: string, dataDir: string): string {
  const base = url.replace(/\/$/, '');
  const lines = [
    `Sightline ${VERSION} listening on ${base}`,
    '',
    `  Workbench   ${base}/            (open it in a browser)`,
    `  API         ANTHROPIC_BASE_URL=${base}   (no /v1; the official SDKs and \`sightline\` CLI read it)`,
    `  Keys        ${describeKeys(config)}`,
    ...describeModels(config).map((line, index) => `  ${index === 0 ? 'Models   ' : '         '}   ${line}`),
    `  Data        ${dataDir} (${config.files.postgresUrl ? 'PostgreSQL metadata' : 'SQLite'} + ${config.operations.s3 ? `blobs in s3://${config.operations.s3.bucket}` : 'blobs on disk'})`,
    `  Images      rules ${config.vision.rules} (sizes, tokens and limits; --rules 2026-04|2026-09)`,
    '',
    'Press Ctrl+C to stop (in-flight requests finish first).',
    '',
  ];
  return lines.join('\n');
}
