// The shapes the page's modules share: a model as the Models API lists it, an image as the page holds it,
// a conversation's turns and the message box, and each image's place in the request (its card).
import type { modelInfo } from '../src/catalog/model-info.js';
import type { ImagePlan } from '../src/imaging/plan.js';
import type { ImageProbe } from '../src/imaging/probe.js';
import type { RepairReport, StopReason, Usage } from '../src/wire/index.js';

/** A model of GET /v1/models, with Sightline's `sightline` block: the server's own `modelInfo`. */
export type ModelInfo = ReturnType<typeof modelInfo>;

/** An image attached in the page: its bytes (as sent and as drawn), header probe, and Files API uploads. */
export interface PageImage {
  id: string;
  name: string;
  /** The bytes as attached: what is sent and uploaded. */
  blob: Blob;
  /** What the page draws: the bytes with the EXIF orientation reset to "as stored". */
  shown: Blob;
  size: number;
  base64: string;
  mediaType: string;
  probe: ImageProbe | null;
  /** An object URL of `shown`, revoked when the image is removed. */
  url: string;
  /** API key → file id (Files API uploads), and key → pending upload. */
  fileIds: Map<string, string>;
  uploads: Map<string, Promise<void>>;
  uploadError: Error | null;
  /** The decoded image for drawing (null when the browser cannot decode it), decoded once. */
  bitmap: Promise<ImageBitmap | null> | null;
}

/** What the page shows of an API error: its type and message. */
export interface ShownError {
  type: string;
  message: string;
}

/** Usage as the stream reports it: message_start's, updated by message_delta's non-null fields. */
export type AnswerUsage = Partial<Omit<Usage, 'sightline'>> & { sightline?: Usage['sightline'] | undefined };

/** How an answer ended: the API's stop reason, or the page's own word for a stopped or failed stream. */
export type AnswerEnd = StopReason | 'stopped' | 'error';

export interface Answer {
  text: string;
  stopReason?: AnswerEnd | null | undefined;
  usage?: AnswerUsage | null | undefined;
  /** USD at the model's input and output prices. */
  cost?: number | null | undefined;
  ttftMs?: number | null | undefined;
  totalMs?: number | null | undefined;
  /** Repair mode: what the server changed in this turn's images (usage.sightline.repairs). */
  repairs?: RepairReport[] | null | undefined;
  error?: ShownError | null | undefined;
}

/** One turn's elements (chat-view.ts). */
export interface TurnView {
  root: HTMLElement;
  /** The user's image cards. */
  images: HTMLElement;
  answer: HTMLElement;
  meta: HTMLElement;
  error: HTMLElement;
}

/** The message box: its text and images. */
export interface Draft {
  text: string;
  images: PageImage[];
}

export interface Turn {
  user: Draft;
  assistant: Answer;
  /** Its elements, once mounted in the chat. */
  view?: TurnView | undefined;
}

export interface Conversation {
  id: string;
  title: string;
  /** Whether the user renamed it (else the title follows the first message). */
  named: boolean;
  createdAt: number;
  updatedAt: number;
  system: string;
  turns: Turn[];
  draft: Draft;
  /** The model it last used (a reopened conversation selects it again). */
  model?: string | undefined;
}

/** A stored conversation's entry in the list. */
export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** An image's place in the request: its number (`Image N:`) and its block's JSON path. */
export interface Placement {
  image: PageImage;
  number: number;
  path: string;
}

/** An image's card: its placement with the figures and the problem the page or the API found. */
export interface Card extends Placement {
  plan: ImagePlan | null;
  /** USD of its tokens (0 for a rejected image, which is not sent). */
  cost: number;
  problem: string | null;
  /** Who found the problem: the page's own checks, or the API (count_tokens or a send refused it). */
  problemSource: 'page' | 'api' | undefined;
  /** The page's check would refuse it, but repair mode lets the server fix it instead. */
  repairable: boolean;
  fileId: string | undefined;
  uploading: boolean;
  /** What repair mode changed in it (a sent image). */
  repair?: RepairReport | null | undefined;
}
