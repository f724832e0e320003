// `--rules` on inspect and estimate: the revision(s) of the image rules to compute with. Default: the
// environment's SIGHTLINE_VISION_RULES (as `serve` reads it), else 2026-09.
import { DEFAULT_VISION_RULES, isVisionRules, VISION_RULES, type VisionRules } from '../imaging/index.js';
import { commaListOption, type ParsedArgs, UsageError } from './args.js';
import type { CliIo } from './io.js';

const CHOICES = VISION_RULES.join(' or ');

/** Every revision named by `--rules` (comma-separated or repeated), in order, without repeats. */
export function rulesOptions(args: ParsedArgs, io: Pick<CliIo, 'env'>): VisionRules[] {
  const named = commaListOption(args, 'rules');
  for (const value of named) {
    if (!isVisionRules(value)) throw new UsageError(`--rules takes ${CHOICES} (got "${value}")`);
  }
  if (named.length > 0) return [...new Set(named as VisionRules[])];
  const fromEnv = io.env.SIGHTLINE_VISION_RULES;
  if (fromEnv) {
    if (!isVisionRules(fromEnv))
      throw new UsageError(`SIGHTLINE_VISION_RULES takes ${CHOICES} (got "${fromEnv}")`);
    return [fromEnv];
  }
  return [DEFAULT_VISION_RULES];
}

/** Exactly one revision (commands that show one computation). */
export function ruleOption(args: ParsedArgs, io: Pick<CliIo, 'env'>): VisionRules {
  const rules = rulesOptions(args, io);
  if (rules.length > 1) throw new UsageError(`--rules takes one revision here (${CHOICES})`);
  return rules[0]!;
}
