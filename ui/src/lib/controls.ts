// Invisible characters that can disguise what a file is or what a title says. A right-to-left
// override turns "invoice\u202Efdp.exe" into what reads as "invoiceexe.pdf"; a zero-width space
// makes two different names look the same. Wherever the window shows a file name or a record's
// title in a list, each such character is replaced by a visible marker naming its code point, so
// that what is read is what the name is.
import { translate, type Lang } from './i18n';

/**
 * The characters marked: the bidi embeddings and overrides (U+202A–U+202E), the isolates
 * (U+2066–U+2069), the Arabic letter mark (U+061C), the zero-width space and the directional
 * marks (U+200B, U+200E, U+200F), the word joiner and invisible operators (U+2060–U+2064), the
 * byte order mark (U+FEFF), and the zero-width joiners (U+200C, U+200D) unless between two letters
 * of the Arabic script, where Urdu typing uses them to shape words, or inside an emoji sequence
 * (see `ordinaryJoiner`). The command line escapes the same characters (gawahi-cli's output.rs).
 */
const CONTROL = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const EMOJI_PART = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;

/**
 * Whether the joiner at `i` of `s` is ordinary writing: between two Arabic-script letters, or
 * (a ZWJ) between two parts of an emoji. Neighbours are read as code points, as emoji are astral.
 */
function ordinaryJoiner(s: string, i: number): boolean {
  const c = s[i];
  if (c !== '\u200C' && c !== '\u200D') return false;
  const before = String.fromCodePoint(s.codePointAt(i - 1 > 0 && /[\uDC00-\uDFFF]/.test(s[i - 1]) ? i - 2 : i - 1) ?? 0);
  const after = String.fromCodePoint(s.codePointAt(i + 1) ?? 0);
  if (ARABIC_LETTER.test(before) && ARABIC_LETTER.test(after)) return true;
  return c === '\u200D' && EMOJI_PART.test(before) && EMOJI_PART.test(after);
}

/** `U+202E` for the character `c`. */
export function codePoint(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether `s` holds a character `showControls` would mark. */
export function hasControls(s: string): boolean {
  return withoutControls(s) !== s;
}

/** `s` with each disguising character replaced by the visible marker of `lang`. */
export function showControls(lang: Lang, s: string): string {
  return s.replace(CONTROL, (c, i: number) =>
    ordinaryJoiner(s, i) ? c : translate(lang, 'common.controlMark', { code: codePoint(c) }),
  );
}

/**
 * `s` without the disguising characters: the name offered when a file is saved out of the vault,
 * so that the file system shows the name as it is (the user can still type any name).
 */
export function withoutControls(s: string): string {
  return s.replace(CONTROL, (c, i: number) => (ordinaryJoiner(s, i) ? c : ''));
}

/** An evidence file's name as the window shows it: marked as `showControls` does, or "(no name)". */
export function shownName(lang: Lang, name: string | null | undefined): string {
  return name === null || name === undefined ? translate(lang, 'evidence.unnamed') : showControls(lang, name);
}
