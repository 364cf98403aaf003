// Invisible characters that can disguise what a file is or what a title says. A right-to-left
// override turns "invoice\u202Efdp.exe" into what reads as "invoiceexe.pdf"; a zero-width space
// makes two different names look the same. Wherever the window shows a file name, a record's
// title or its text, each such character is replaced by a visible marker naming its code point,
// so that what is read is what the text is.
//
// Which characters, and where, is the core's one rule (gawahi_core::text, also the command line's
// escaping), generated into `TEXT_RULES`: its sets come from there and nothing here lists a
// character. The tests hold `disguisingAt` to the core's answer for each of its samples.
import { translate, type Lang } from './i18n';
import { TEXT_RULES } from '../bindings/disguising';
import type { Segment } from '../bindings/Segment';

type Ranges = ReadonlyArray<readonly [number, number]>;

function within(ranges: Ranges, cp: number): boolean {
  // The bidi class tables run to hundreds of ranges, sorted: a binary search.
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to] = ranges[mid];
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return true;
  }
  return false;
}

const sorted = (r: Ranges): Ranges => [...r].sort((a, b) => a[0] - b[0]);
const ALWAYS = sorted(TEXT_RULES.always);
const ARABIC = sorted(TEXT_RULES.arabic_letters);
const EMOJI = sorted(TEXT_RULES.emoji_parts);
const LTR = sorted(TEXT_RULES.left_to_right);
const RTL = sorted(TEXT_RULES.right_to_left);
const DIGITS = sorted(TEXT_RULES.digits);
const [LRM] = TEXT_RULES.marks;
const [ZWNJ, ZWJ] = TEXT_RULES.joiners;

/** Whether the code point may be marked, depending on where it is (`may_disguise` in the core). */
function mayDisguise(cp: number): boolean {
  return within(ALWAYS, cp) || TEXT_RULES.joiners.includes(cp) || TEXT_RULES.marks.includes(cp);
}

type Neighbour = 'edge' | 'digit' | 'ltr' | 'rtl';

/** A visible character's direction, or `null` if it takes its neighbours' (see the core's `neighbour`). */
function neighbour(cp: number): Neighbour | null {
  if (mayDisguise(cp)) return null;
  if (within(LTR, cp)) return 'ltr';
  if (within(RTL, cp)) return 'rtl';
  if (within(DIGITS, cp)) return 'digit';
  return null;
}

/**
 * Whether the code point at `i` of `cps` disguises the text: always for an override, isolate or
 * zero-width character; a joiner unless between two Arabic-script letters or (ZWJ) inside an
 * emoji; a directional mark where it could reorder letters or digits (the core's `mark_disguises`:
 * a digit is its nearest visible letter or digit on a side, or letters of the other direction are
 * on both sides, or none is before it and one of the other direction after it).
 */
export function disguisingAt(cps: readonly number[], i: number): boolean {
  const c = cps[i];
  if (c === undefined) return false;
  if (within(ALWAYS, c)) return true;
  if (c === ZWNJ || c === ZWJ) {
    const before = cps[i - 1];
    const after = cps[i + 1];
    if (before === undefined || after === undefined) return true;
    if (within(ARABIC, before) && within(ARABIC, after)) return false;
    return !(c === ZWJ && within(EMOJI, before) && within(EMOJI, after));
  }
  if (TEXT_RULES.marks.includes(c)) {
    const own: Neighbour = c === LRM ? 'ltr' : 'rtl';
    let before: Neighbour = 'edge';
    for (let j = i - 1; j >= 0; j--) {
      const n = neighbour(cps[j]);
      if (n) {
        before = n;
        break;
      }
    }
    let after: Neighbour = 'edge';
    for (let j = i + 1; j < cps.length; j++) {
      const n = neighbour(cps[j]);
      if (n) {
        after = n;
        break;
      }
    }
    const other = (n: Neighbour) => n !== own && (n === 'ltr' || n === 'rtl');
    return before === 'digit' || after === 'digit' || (other(before) && other(after)) || (before === 'edge' && other(after));
  }
  return false;
}

function codePoints(s: string): number[] {
  return Array.from(s, (c) => c.codePointAt(0) ?? 0);
}

/** The code point indices of `s`'s disguising characters. */
export function disguisingIn(s: string): number[] {
  const cps = codePoints(s);
  return cps.flatMap((_, i) => (disguisingAt(cps, i) ? [i] : []));
}

/** `U+202E` for the code point `cp`. */
function codePointName(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `U+202E` for the character `c`. */
export function codePoint(c: string): string {
  return codePointName(c.codePointAt(0) ?? 0);
}

/** `cps[from..to]` with each disguising character (judged in the whole of `cps`) replaced by `mark(cp)`. */
function replaceIn(cps: readonly number[], from: number, to: number, mark: (cp: number) => string): string {
  let out = '';
  for (let i = from; i < to; i++) out += disguisingAt(cps, i) ? mark(cps[i]) : String.fromCodePoint(cps[i]);
  return out;
}

function markerOf(lang: Lang): (cp: number) => string {
  return (cp) => translate(lang, 'common.controlMark', { code: codePointName(cp) });
}

/** Whether `s` holds a character `showControls` would mark. */
export function hasControls(s: string): boolean {
  return disguisingIn(s).length > 0;
}

/** `s` with each disguising character replaced by the visible marker of `lang`. */
export function showControls(lang: Lang, s: string): string {
  if (!codePoints(s).some(mayDisguise)) return s;
  const cps = codePoints(s);
  return replaceIn(cps, 0, cps.length, markerOf(lang));
}

/**
 * A search hit's snippet with its disguising characters marked: the pieces are judged as one text
 * (a joiner between two Urdu letters at a piece's edge is writing, not a disguise), and each piece
 * keeps whether it is highlighted, so a hit inside a hostile name still shows as a hit. A
 * disguising character at either end of a highlighted piece (the index counts an override before
 * a word as part of it) is marked outside the highlight: the highlight is the word found, whole,
 * and the marker sits beside it, never inside it.
 */
export function showControlsInSegments(lang: Lang, segments: readonly Segment[]): Segment[] {
  const cps = segments.flatMap((s) => codePoints(s.text));
  const mark = markerOf(lang);
  const out: Segment[] = [];
  const push = (text: string, highlighted: boolean) => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (last && last.highlighted === highlighted) last.text += text;
    else out.push({ text, highlighted });
  };
  let at = 0;
  for (const s of segments) {
    const end = at + codePoints(s.text).length;
    let from = at;
    let to = end;
    if (s.highlighted) {
      while (from < to && disguisingAt(cps, from)) from++;
      while (to > from && disguisingAt(cps, to - 1)) to--;
      if (from === to) [from, to] = [at, end];
    }
    push(replaceIn(cps, at, from, mark), false);
    push(replaceIn(cps, from, to, mark), s.highlighted);
    push(replaceIn(cps, to, end, mark), false);
    at = end;
  }
  return out;
}

/**
 * `s` without the disguising characters: the name offered when a file is saved out of the vault,
 * so that the file system shows the name as it is (the user can still type any name).
 */
export function withoutControls(s: string): string {
  const cps = codePoints(s);
  return replaceIn(cps, 0, cps.length, () => '');
}

/** An evidence file's name as the window shows it: marked as `showControls` does, or "(no name)". */
export function shownName(lang: Lang, name: string | null | undefined): string {
  return name === null || name === undefined ? translate(lang, 'evidence.unnamed') : showControls(lang, name);
}

/** `text` as a directional isolate (FSI … PDI), for a name inside a sentence that is plain text
    (a dialog's message, a string that cannot hold a `<bdi>`), so that a Latin name in Urdu, or an
    Urdu one in English, and any bidi control the name holds, stays inside its own run. */
export function isolated(text: string): string {
  return String.fromCharCode(0x2068) + text + String.fromCharCode(0x2069);
}
