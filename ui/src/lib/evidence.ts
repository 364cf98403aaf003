// Helpers of the evidence panel: how a file's type and size are said, which items preview, and
// the order a list shows items in (every working copy right under the item it was made from).
import type { MessageKey } from './i18n';
import type { CaptureView } from '../bindings/CaptureView';
import { formatNumber } from './dates';
import type { EvidenceView } from '../bindings/EvidenceView';

/** The record kinds that take evidence (the core's EVIDENCE_KINDS). */
export const EVIDENCE_KINDS = ['incident', 'threat', 'case', 'hearing', 'person', 'referral'] as const;

export type PreviewKind = 'image' | 'pdf' | 'text' | 'audio' | 'video' | 'none';

/** How the preview shows a media type (the one sniffed from the content at intake). */
export function previewKind(mediaType: string): PreviewKind {
  if (['image/jpeg', 'image/png', 'image/gif', 'image/webp'].includes(mediaType)) return 'image';
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType === 'text/plain') return 'text';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (mediaType.startsWith('video/')) return 'video';
  return 'none';
}

/** The message naming a media type's family. */
export function typeKey(mediaType: string): MessageKey {
  const p = previewKind(mediaType);
  if (p !== 'none') return `evidence.type.${p}`;
  if (mediaType.startsWith('image/')) return 'evidence.type.image';
  if (mediaType === 'application/zip') return 'evidence.type.archive';
  return 'evidence.type.other';
}

/** A size in bytes, KB, MB or GB (powers of 1024), written for the language. */
export function sizeParts(bytes: number, lang: string): { key: MessageKey; value: string } {
  const units: [number, MessageKey][] = [
    [1024 ** 3, 'evidence.size.gb'],
    [1024 ** 2, 'evidence.size.mb'],
    [1024, 'evidence.size.kb'],
  ];
  for (const [unit, key] of units) {
    if (bytes >= unit) return { key, value: formatNumber(Math.round((bytes / unit) * 10) / 10, lang, bytes / unit < 10 ? 1 : 0) };
  }
  return { key: 'evidence.size.b', value: formatNumber(bytes, lang) };
}

export type Row = { item: EvidenceView; depth: number };

/** Items in the order the list shows them: each followed by its working copies (and theirs). */
export function ordered(items: EvidenceView[]): Row[] {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string, EvidenceView[]>();
  const roots: EvidenceView[] = [];
  for (const i of items) {
    if (i.parentId && ids.has(i.parentId)) {
      const list = children.get(i.parentId) ?? [];
      list.push(i);
      children.set(i.parentId, list);
    } else {
      roots.push(i);
    }
  }
  const rows: Row[] = [];
  const walk = (i: EvidenceView, depth: number) => {
    rows.push({ item: i, depth });
    for (const c of children.get(i.id) ?? []) walk(c, depth + 1);
  };
  roots.forEach((r) => walk(r, 0));
  return rows;
}

/** The name a redacted copy of `name` gets: the same stem, marked, as a PNG. */
export function redactedName(name: string | null): string {
  const stem = (name ?? 'evidence').replace(/\.[^.]{1,5}$/, '');
  return `${stem}-redacted.png`;
}

export { isolated } from './controls';

/** What a file's capture metadata states, as the evidence panel shows it: the camera (make and
    model), the time taken (`YYYY-MM-DD HH:MM:SS` and its UTC offset when known), the position
    (`latitude, longitude`) and the altitude only with a position; `null` for what it does not
    state. The values are the file's own texts: the panel shows them isolated, left to right. */
export function captureFacts(c: CaptureView | null): {
  camera: string | null;
  takenAt: string | null;
  position: string | null;
  altitude: string | null;
} {
  const camera = [c?.cameraMake, c?.cameraModel].filter((x): x is string => !!x).join(' ') || null;
  const takenAt = c?.takenAt ? c.takenAt.replace('T', ' ').replace(/([+-]\d\d:\d\d)$/, ' $1') : null;
  const position = c?.latitude && c?.longitude ? `${c.latitude}, ${c.longitude}` : null;
  return { camera, takenAt, position, altitude: position ? (c?.altitude ?? null) : null };
}

/** The RGBA pixels of a thumbnail sent as base64, checked against its size; `null` if they do
    not fit (a canvas would refuse them). */
export function pixelsOf(base64: string, width: number, height: number): Uint8ClampedArray<ArrayBuffer> | null {
  let text: string;
  try {
    text = atob(base64);
  } catch {
    return null;
  }
  if (width <= 0 || height <= 0 || text.length !== width * height * 4) return null;
  const out = new Uint8ClampedArray(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
