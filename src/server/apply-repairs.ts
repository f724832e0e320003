// The server's hook into repair mode: which repairs a request gets (config, key, header), the request-size
// rule that depends on it, and the repaired body with its image blocks found again.
import type { FastifyRequest } from 'fastify';
import type { CatalogModel } from '../catalog/index.js';
import { maxImagesFor } from '../catalog/index.js';
import type { RepairConfig } from '../config/index.js';
import { requestTooLarge } from '../errors/index.js';
import {
  DEFAULT_VISION_RULES,
  type ImagePipeline,
  type ImagePlatform,
  MANY_IMAGES_MAX_SIDE,
  MANY_IMAGES_THRESHOLD,
  MAX_IMAGE_SIDE,
  maxImageBytesFor,
  planImage,
  type VisionRules,
} from '../imaging/index.js';
import {
  REPAIR_HEADER,
  type RepairReport,
  type RepairSettings,
  repairRequest,
  resolveRepairSettings,
} from '../repair/index.js';
import { type ParsedMessagesRequest, parseMessagesRequest } from './parse-messages-request.js';

export interface RepairHookDependencies {
  /** the server's `repair` configuration */
  repair: RepairConfig;
  /** Claude's request-size limit (32 MiB) */
  maxRequestBytes: number;
}

export function repairSettingsOf(
  request: FastifyRequest,
  dependencies: RepairHookDependencies,
): RepairSettings {
  const { repair } = dependencies;
  return resolveRepairSettings(
    { images: repair.images, history: repair.history, keepRecentScreenshots: repair.keepRecentScreenshots },
    request.caller?.settings?.repair,
    request.headers[REPAIR_HEADER],
  );
}

const tooLarge = (limit: number) =>
  requestTooLarge(`Request exceeds the maximum allowed size of ${limit} bytes`);

/**
 * A body over 32 MiB is refused as Claude refuses it, unless history repair is on for the request (then the
 * server reads bodies up to `repair.max_request_bytes`). Checked from `content-length` before reading.
 */
export function checkDeclaredSize(request: FastifyRequest, dependencies: RepairHookDependencies): void {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > dependencies.maxRequestBytes && !repairSettingsOf(request, dependencies).history)
    throw tooLarge(dependencies.maxRequestBytes);
}

export interface RepairedRequest extends ParsedMessagesRequest {
  repairs: RepairReport[];
}

/** Repairs the parsed request when repair is on; enforces the 32 MiB rule on what would be sent. */
export async function applyRepairs(
  request: FastifyRequest,
  parsed: ParsedMessagesRequest,
  kind: 'create' | 'count_tokens',
  model: CatalogModel,
  context: RepairHookDependencies & {
    pipeline: ImagePipeline;
    /** the revision of the image rules the server follows (default 2026-09) */
    rules?: VisionRules | undefined;
    /** where the model is served: Bedrock / Vertex AI take 5 MB per image */
    platform?: ImagePlatform | undefined;
  },
): Promise<RepairedRequest> {
  const rules = context.rules ?? DEFAULT_VISION_RULES;
  const settings = repairSettingsOf(request, context);
  const received = request.bodyBytes ?? 0;
  if (!settings.images && !settings.history) {
    if (received > context.maxRequestBytes) throw tooLarge(context.maxRequestBytes);
    return { ...parsed, repairs: [] };
  }
  const result = await repairRequest({
    body: parsed.body,
    images: parsed.images,
    bodyBytes: received,
    settings,
    limits: {
      maxImageBytes: maxImageBytesFor(rules, context.platform),
      maxSide: MAX_IMAGE_SIDE,
      manyImagesThreshold: MANY_IMAGES_THRESHOLD,
      manyImagesMaxSide: MANY_IMAGES_MAX_SIDE,
      maxImages: maxImagesFor(model),
      maxRequestBytes: context.maxRequestBytes,
    },
    decode: (source) => context.pipeline.decodeSource(source),
    viewSize: (width, height) => {
      const plan = planImage(width, height, model.profile, rules);
      return { width: plan.viewWidth, height: plan.viewHeight };
    },
  });
  if (result.bodyBytes > context.maxRequestBytes) throw tooLarge(context.maxRequestBytes);
  if (result.repairs.length === 0) return { ...parsed, repairs: [] };
  return { ...parseMessagesRequest(result.body, kind), repairs: result.repairs };
}
