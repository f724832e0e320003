// What repair mode is asked to do, the limits it repairs towards, and how it reports each change.

export interface RepairSettings {
  /** Make images Claude would refuse acceptable (sides, bytes, declared media type). */
  images: boolean;
  /** Keep long sessions under the request limits by shrinking, then omitting, older images. */
  history: boolean;
  /** The most recent tool_result images that history repair never touches (besides the last user turn's). */
  keepRecentScreenshots: number;
}

export const REPAIR_OFF: RepairSettings = { images: false, history: false, keepRecentScreenshots: 3 };

export interface RepairLimits {
  /** Largest base64 length of one image. */
  maxImageBytes: number;
  /** Longest side of any image. */
  maxSide: number;
  /** More images than this in a request lower the longest side to `manyImagesMaxSide`. */
  manyImagesThreshold: number;
  manyImagesMaxSide: number;
  /** Images per request for the model. */
  maxImages: number;
  /** Largest request body. */
  maxRequestBytes: number;
}

export type {
  RepairAction,
  RepairedImageFacts as ImageFacts,
  RepairReport,
} from '../wire/index.js';
