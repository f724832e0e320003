// A conversation as the page holds it, and as IndexedDB keeps it. In the page: turns (the user's text and
// images, the answer with its figures) and the message being written (the draft). In the store: the same,
// each image reduced to its name and bytes (a Blob).
import { readImage } from './images.js';
import type { Answer, Conversation, PageImage } from './types.js';

const newId = (): string =>
  crypto.randomUUID?.() ??
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );

export function newConversation(): Conversation {
  const now = Date.now();
  return {
    id: newId(),
    title: '',
    named: false,
    createdAt: now,
    updatedAt: now,
    system: '',
    turns: [],
    draft: { text: '', images: [] },
  };
}

/** Whether there is anything worth keeping (an empty new conversation is not stored). */
export const hasContent = (conversation: Conversation): boolean =>
  conversation.turns.length > 0 ||
  conversation.draft.text.trim() !== '' ||
  conversation.draft.images.length > 0 ||
  conversation.system.trim() !== '';

/** A title from the first message: its first line, or the first image's name. */
export function titleOf(conversation: Conversation): string {
  if (conversation.named && conversation.title) return conversation.title;
  const first = conversation.turns[0]?.user ?? conversation.draft;
  const line = first.text.trim().split('\n')[0] ?? '';
  if (line !== '') return line.length > 60 ? `${line.slice(0, 57)}…` : line;
  if (first.images.length > 0)
    return `Images: ${first.images.map((image) => image.name).join(', ')}`.slice(0, 60);
  return 'New conversation';
}

/** An image as stored: its name and bytes. */
export interface StoredImage {
  name: string;
  blob: Blob;
}

/** An answer as stored: every figure present, null when unknown. */
export type StoredAnswer = { text: string } & {
  [K in Exclude<keyof Answer, 'text'>]-?: NonNullable<Answer[K]> | null;
};

/** The record IndexedDB keeps (images as Blobs, nothing derived). */
export interface ConversationRecord {
  id: string;
  title: string;
  named: boolean;
  createdAt: number;
  updatedAt: number;
  model: string;
  system: string;
  turns: { user: { text: string; images: StoredImage[] }; assistant: StoredAnswer }[];
  draft: { text: string; images: StoredImage[] };
}

const storedImage = (image: PageImage): StoredImage => ({ name: image.name, blob: image.blob });
const storedAnswer = (answer: Answer): StoredAnswer => ({
  text: answer.text,
  stopReason: answer.stopReason ?? null,
  usage: answer.usage ?? null,
  cost: answer.cost ?? null,
  ttftMs: answer.ttftMs ?? null,
  totalMs: answer.totalMs ?? null,
  repairs: answer.repairs ?? null,
  error: answer.error ?? null,
});

export function toRecord(conversation: Conversation, model: string): ConversationRecord {
  return {
    id: conversation.id,
    title: titleOf(conversation),
    named: conversation.named,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    model,
    system: conversation.system,
    turns: conversation.turns.map((turn) => ({
      user: { text: turn.user.text, images: turn.user.images.map(storedImage) },
      assistant: storedAnswer(turn.assistant),
    })),
    draft: { text: conversation.draft.text, images: conversation.draft.images.map(storedImage) },
  };
}

const revive = (stored: StoredImage): Promise<PageImage> =>
  readImage(new File([stored.blob], stored.name, { type: stored.blob.type }), stored.name);

/**
 * The page's conversation from a stored record (images read again from their bytes). Records written by
 * earlier versions of the page may lack `named`, `system` or the draft.
 */
export async function fromRecord(record: ConversationRecord): Promise<Conversation> {
  const turns = [];
  for (const turn of record.turns) {
    turns.push({
      user: { text: turn.user.text, images: await Promise.all(turn.user.images.map(revive)) },
      assistant: { ...turn.assistant },
    });
  }
  return {
    id: record.id,
    title: record.title,
    named: Boolean(record.named),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    system: record.system ?? '',
    turns,
    draft: {
      text: record.draft?.text ?? '',
      images: await Promise.all((record.draft?.images ?? []).map(revive)),
    },
    model: record.model,
  };
}
