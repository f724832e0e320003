// What images cost: tokens (under a revision of the rules) × the model's input price (docs/rules/images.md §11).
import type { CatalogModel } from '../catalog/index.js';
import { planImage } from './plan.js';
import { DEFAULT_VISION_RULES, type VisionRules } from './rules.js';

export interface ImageCost {
  tokens: number;
  /** USD for one image */
  usd: number;
  /** USD for 1,000 such images */
  usdPerThousand: number;
}

export const usdForInputTokens = (
  tokens: number,
  model: Pick<CatalogModel, 'inputPricePerMillion'>,
): number => (tokens * model.inputPricePerMillion) / 1_000_000;

export function imageCost(
  width: number,
  height: number,
  model: Pick<CatalogModel, 'inputPricePerMillion' | 'profile'>,
  rules: VisionRules = DEFAULT_VISION_RULES,
): ImageCost {
  const { tokens } = planImage(width, height, model.profile, rules);
  const usd = usdForInputTokens(tokens, model);
  return { tokens, usd, usdPerThousand: usd * 1000 };
}
