// The two revisions of the image rules (docs/rules/images.md §1). Pure: the Workbench imports
// the compiled module too. Nothing here is global state: every function that depends on the rules takes the
// revision as an argument.
//   2026-04 — the seeded guide: tokens ≈ w·h/750, the view scaled by one factor, 5 MB per image.
//   2026-09 — today's Claude API (the default): one token per 28×28 patch, the documented resize search,
//             10 MB per image on the Claude API directly (5 MB on Amazon Bedrock and Google Vertex AI).

export const VISION_RULES = ['2026-04', '2026-09'] as const;
export type VisionRules = (typeof VISION_RULES)[number];
export const DEFAULT_VISION_RULES: VisionRules = '2026-09';

export const isVisionRules = (value: unknown): value is VisionRules =>
  typeof value === 'string' && (VISION_RULES as readonly string[]).includes(value);

/** Where the model is served: the per-image byte limit is smaller on Bedrock and Vertex AI. */
export type ImagePlatform = 'anthropic' | 'bedrock' | 'vertex';

const MIB = 1024 * 1024;

/**
 * The largest image a request may carry, in bytes (for base64 sources: the length of the base64 string):
 * 5 MB under 2026-04; under 2026-09 10 MB on the Claude API directly and 5 MB on Bedrock / Vertex AI.
 */
export function maxImageBytesFor(rules: VisionRules, platform: ImagePlatform = 'anthropic'): number {
  if (rules === '2026-04') return 5 * MIB;
  return platform === 'bedrock' || platform === 'vertex' ? 5 * MIB : 10 * MIB;
}
