// Repair mode (opt-in): turns a request Claude would refuse because of its images into one it accepts,
// with the least change that works, and reports every change. Runs after the body is parsed and before
// any image check, so the checks, token counts and views all see the repaired request.
//
//   images:  declared media type ≠ bytes → corrected; a side over 8000 px (2000 px in a request of more
//            than 20 images) → downscaled to fit; over the byte limit → quality steps, then smaller.
//   history: over the image count, the many-image rule or the request size because of older turns →
//            older images (never the last user turn's, nor the most recent N tool_result images) are
//            shrunk first (to the view the model sees anyway), then replaced by a short text block.
// Images that cannot be read are left alone: the checks then refuse them exactly as without repair.
import type { DecodedImage, ImageSourceInput } from '../imaging/index.js';
import { base64Length, type ImageFormat, MEDIA_TYPES } from '../imaging/index.js';
import type {
  Base64ImageSource,
  ContentBlockParam,
  ImageBlockParam,
  MessagesRequest,
  TextBlockParam,
} from '../wire/index.js';
import { type EncodedImage, type EncodeSource, encodeWithin, shrinkTo } from './encode-within.js';
import type { ImageFacts, RepairLimits, RepairReport, RepairSettings } from './types.js';

export interface RepairImageRef {
  path: string;
  block: ImageBlockParam;
}

export interface RepairInput {
  body: MessagesRequest;
  /** Every image block of `body` in request order (as `parseMessagesRequest` finds them). */
  images: readonly RepairImageRef[];
  /** Size of the body as received (JSON bytes). */
  bodyBytes: number;
  settings: RepairSettings;
  limits: RepairLimits;
  /** Bytes and header probe of a source (the pipeline's cached decoder); null for invalid base64. */
  decode(source: ImageSourceInput): DecodedImage | null;
  /** The size of the model view of a width×height image (the model's profile). */
  viewSize(width: number, height: number): { width: number; height: number };
}

export interface RepairResult {
  /** The repaired body (the same object when nothing changed). */
  body: MessagesRequest;
  repairs: RepairReport[];
  /** Estimated size of the repaired body. */
  bodyBytes: number;
}

/** One image of the request while it is being repaired. */
interface Entry {
  path: string;
  original: ImageBlockParam;
  messageIndex: number;
  inToolResult: boolean;
  protected: boolean;
  /** Current state (after earlier repairs); undefined facts for url/file sources or unreadable data. */
  block: ImageBlockParam | TextBlockParam;
  facts?: ImageFacts;
  hasAlpha: boolean;
  /** the format the bytes really are */
  format?: ImageFormat;
  bytes?: Buffer;
  omitted: boolean;
}

/** Images shrunk at once (libvips decodes and encodes JPEG on one thread each). */
const SHRINK_CONCURRENCY = 4;

const messageIndexOf = (path: string): number => Number(/^messages\.(\d+)/.exec(path)?.[1] ?? 0);

/** JSON length of a block (the base64 data counted without serialising it). */
function blockLength(block: ImageBlockParam | TextBlockParam): number {
  if (block.type === 'image' && block.source.type === 'base64') {
    const { data } = block.source;
    return JSON.stringify({ ...block, source: { ...block.source, data: '' } }).length + data.length;
  }
  return JSON.stringify(block).length;
}

const withData = (block: ImageBlockParam, encoded: EncodedImage): ImageBlockParam => ({
  ...block,
  source: { type: 'base64', media_type: encoded.mediaType, data: encoded.data.toString('base64') },
});

const factsOf = (encoded: EncodedImage): ImageFacts => ({
  width: encoded.width,
  height: encoded.height,
  media_type: encoded.mediaType,
  bytes: base64Length(encoded.data.length),
});

/** What the encoder needs of an entry whose bytes and size are known. */
const sourceOf = (entry: Entry): EncodeSource => ({
  bytes: entry.bytes!,
  format: entry.format ?? 'png',
  width: entry.facts!.width,
  height: entry.facts!.height,
  hasAlpha: entry.hasAlpha,
});

export const omissionText = (entry: {
  facts?: ImageFacts | undefined;
  inToolResult: boolean;
  messageIndex: number;
}): string => {
  const size = entry.facts ? `${entry.facts.width}×${entry.facts.height} ` : '';
  const what = entry.inToolResult ? 'screenshot' : 'image';
  return `[image omitted by Sightline: ${size}${what} from turn ${entry.messageIndex}]`;
};

function lastUserMessageIndex(body: MessagesRequest): number {
  for (let index = body.messages.length - 1; index >= 0; index -= 1)
    if (body.messages[index]!.role === 'user') return index;
  return -1;
}

function describeEntries(input: RepairInput): Entry[] {
  const lastUser = lastUserMessageIndex(input.body);
  const entries: Entry[] = input.images.map((ref) => {
    const entry: Entry = {
      path: ref.path,
      original: ref.block,
      messageIndex: messageIndexOf(ref.path),
      inToolResult: ref.path.includes('.tool_result.'),
      protected: false,
      block: ref.block,
      hasAlpha: false,
      omitted: false,
    };
    const { source } = ref.block;
    if (source.type === 'base64') {
      const decoded = input.decode({ kind: 'base64', mediaType: source.media_type, data: source.data });
      if (decoded?.probe) {
        entry.bytes = decoded.bytes;
        entry.hasAlpha = decoded.probe.hasAlpha;
        entry.format = decoded.probe.format;
        entry.facts = {
          width: decoded.probe.width,
          height: decoded.probe.height,
          media_type: source.media_type,
          bytes: source.data.length,
        };
      }
    }
    entry.protected = entry.messageIndex === lastUser;
    return entry;
  });
  // the most recent N tool_result images stay as sent
  let keep = input.settings.keepRecentScreenshots;
  for (let index = entries.length - 1; index >= 0 && keep > 0; index -= 1) {
    if (entries[index]!.inToolResult) {
      entries[index]!.protected = true;
      keep -= 1;
    }
  }
  return entries;
}

/** Repairs `input.body`; never throws for an image it cannot repair (the checks that follow refuse it). */
export async function repairRequest(input: RepairInput): Promise<RepairResult> {
  const { settings, limits } = input;
  const repairs: RepairReport[] = [];
  if (!settings.images && !settings.history) return { body: input.body, repairs, bodyBytes: input.bodyBytes };
  const entries = describeEntries(input);
  let bodyBytes = input.bodyBytes;
  const live = () => entries.filter((entry) => !entry.omitted);

  const replace = (entry: Entry, block: ImageBlockParam | TextBlockParam) => {
    bodyBytes += blockLength(block) - blockLength(entry.block);
    entry.block = block;
  };
  const omit = (entry: Entry, reason: string) => {
    const before = entry.facts ?? unknownFacts(entry.original);
    replace(entry, { type: 'text', text: omissionText(entry) });
    entry.omitted = true;
    repairs.push({ path: entry.path, action: 'omitted', reason, before, after: null });
  };
  const reencode = async (entry: Entry, maxSide: number, reason: string, action?: 'shrunk') => {
    if (!entry.facts || !entry.bytes || entry.block.type !== 'image') return false;
    let encoded: EncodedImage | null;
    try {
      encoded = await encodeWithin(sourceOf(entry), { maxSide, maxBase64Bytes: limits.maxImageBytes });
    } catch {
      return false; // unreadable: left for the checks to refuse
    }
    if (!encoded) return false;
    applyEncoded(entry, encoded, reason, action);
    return true;
  };
  const applyEncoded = (entry: Entry, encoded: EncodedImage, reason: string, action?: 'shrunk') => {
    const before = entry.facts!;
    const after = factsOf(encoded);
    replace(entry, withData(entry.block as ImageBlockParam, encoded));
    entry.facts = after;
    entry.bytes = encoded.data;
    entry.hasAlpha = entry.hasAlpha && encoded.format !== 'jpeg';
    entry.format = encoded.format;
    const sized = after.width !== before.width || after.height !== before.height;
    repairs.push({
      path: entry.path,
      action: action ?? (sized ? 'downscaled' : 're_encoded'),
      reason,
      before,
      after,
    });
  };

  // history, first: the image count decides the many-image rule for everything that follows
  if (settings.history && entries.length > limits.maxImages) {
    const excess = entries.length - limits.maxImages;
    const candidates = entries.filter((entry) => !entry.protected).slice(0, excess);
    if (candidates.length === excess) {
      for (const entry of candidates) omit(entry, `more than ${limits.maxImages} images in one request`);
    }
  }
  const manyImages = () => live().length > limits.manyImagesThreshold;

  if (settings.images) {
    for (const entry of live()) {
      if (!entry.facts || entry.block.type !== 'image' || entry.block.source.type !== 'base64') continue;
      const source: Base64ImageSource = entry.block.source;
      const actual = entry.format ? MEDIA_TYPES[entry.format] : null;
      if (actual && actual !== source.media_type) {
        const before = { ...entry.facts };
        replace(entry, { ...entry.block, source: { ...source, media_type: actual } });
        entry.facts = { ...entry.facts, media_type: actual };
        repairs.push({
          path: entry.path,
          action: 'media_type_corrected',
          reason: `declared ${source.media_type}, the bytes are ${actual}`,
          before,
          after: { ...entry.facts },
        });
      }
      const maxSide = manyImages() ? limits.manyImagesMaxSide : limits.maxSide;
      const overSide = Math.max(entry.facts.width, entry.facts.height) > maxSide;
      const overBytes = entry.facts.bytes > limits.maxImageBytes;
      if (!overSide && !overBytes) continue;
      const reasons = [
        overSide
          ? manyImages() && Math.max(entry.facts.width, entry.facts.height) <= limits.maxSide
            ? `over ${maxSide} px in a request of more than ${limits.manyImagesThreshold} images`
            : `over ${maxSide} px`
          : undefined,
        overBytes ? `over ${limits.maxImageBytes} bytes` : undefined,
      ].filter(Boolean);
      await reencode(entry, maxSide, reasons.join(', '));
    }
  }

  if (settings.history) {
    // many-image rule: older offenders are shrunk to 2000 px; if the newest ones still break it, older
    // images are omitted until the request is no longer a many-image request
    if (manyImages()) {
      const tooLarge = (entry: Entry) =>
        entry.facts !== undefined &&
        Math.max(entry.facts.width, entry.facts.height) > limits.manyImagesMaxSide;
      const reason = `over ${limits.manyImagesMaxSide} px in a request of more than ${limits.manyImagesThreshold} images`;
      for (const entry of live().filter((entry) => !entry.protected && tooLarge(entry)))
        if (!(await reencode(entry, limits.manyImagesMaxSide, reason, 'shrunk'))) omit(entry, reason);
      if (live().some(tooLarge)) {
        const older = live().filter((entry) => !entry.protected);
        const needed = live().length - limits.manyImagesThreshold;
        if (older.length >= needed) for (const entry of older.slice(0, needed)) omit(entry, reason);
      }
    }
    // request size: shrink older images to the view the model sees anyway, then omit them, oldest first
    if (bodyBytes > limits.maxRequestBytes) {
      const reason = `request over ${limits.maxRequestBytes} bytes`;
      const shrinkable = (entry: Entry) =>
        !entry.protected &&
        entry.facts !== undefined &&
        entry.bytes !== undefined &&
        entry.block.type === 'image';
      const pending = live().filter(shrinkable);
      // what shrinking saves, as a share of an image's bytes, measured on the images shrunk so far
      let before = 0;
      let after = 0;
      const shrinkOne = async (entry: Entry) => {
        const view = input.viewSize(entry.facts!.width, entry.facts!.height);
        return shrinkTo(sourceOf(entry), view).catch(() => undefined); // unreadable: left for the checks
      };
      while (bodyBytes > limits.maxRequestBytes && pending.length > 0) {
        if (before > 0) {
          // when shrinking everything left would still not fit, the oldest go first (newer ones are kept)
          const saving = 1 - after / before;
          const potential = () => pending.reduce((sum, entry) => sum + entry.facts!.bytes * saving, 0);
          while (pending.length > 0 && bodyBytes - potential() > limits.maxRequestBytes)
            omit(pending.shift()!, reason);
        }
        const batch = pending.splice(0, SHRINK_CONCURRENCY);
        const shrunk = await Promise.all(batch.map(shrinkOne));
        batch.forEach((entry, index) => {
          const result = shrunk[index];
          if (!result || base64Length(result.data.length) >= entry.facts!.bytes) return;
          before += entry.facts!.bytes;
          after += base64Length(result.data.length);
          if (bodyBytes > limits.maxRequestBytes) applyEncoded(entry, result, reason, 'shrunk');
        });
      }
      for (const entry of live()) {
        if (bodyBytes <= limits.maxRequestBytes) break;
        if (!entry.protected) omit(entry, reason);
      }
    }
  }

  if (repairs.length === 0) return { body: input.body, repairs, bodyBytes };
  const replacements = new Map<string, ContentBlockParam>(
    entries.filter((entry) => entry.block !== entry.original).map((entry) => [entry.path, entry.block]),
  );
  return { body: rebuild(input.body, replacements), repairs, bodyBytes };
}

function unknownFacts(block: ImageBlockParam): ImageFacts {
  const { source } = block;
  return {
    width: 0,
    height: 0,
    media_type: source.type === 'base64' ? source.media_type : '',
    bytes: source.type === 'base64' ? source.data.length : 0,
  };
}

/** A copy of `body` with the blocks at the replaced paths swapped in place (order and all else kept). */
function rebuild(body: MessagesRequest, replacements: ReadonlyMap<string, ContentBlockParam>) {
  const swapAll = (blocks: ContentBlockParam[], path: string): ContentBlockParam[] => {
    const swapped = blocks.map((block, index) => {
      const at = `${path}.${index}`;
      const replacement = replacements.get(at);
      if (replacement) return replacement;
      if (block.type === 'tool_result' && Array.isArray(block.content)) {
        const inner = block.content as ContentBlockParam[];
        const content = swapAll(inner, `${at}.tool_result.content`);
        return content === inner ? block : { ...block, content };
      }
      return block;
    });
    return swapped.some((block, index) => block !== blocks[index]) ? swapped : blocks;
  };
  return {
    ...body,
    messages: body.messages.map((message, index) => {
      if (typeof message.content === 'string') return message;
      const content = swapAll(message.content, `messages.${index}.content`);
      return content === message.content ? message : { ...message, content };
    }),
  };
}
