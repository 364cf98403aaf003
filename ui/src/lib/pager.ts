// Keyset paging over `list_records`: the server gives `nextAfter` (the last id of a full page);
// going back means remembering the `after` each visited page was asked with.

export type PagerState = {
  /** `after` of each page visited so far; the first page's is `null`. */
  readonly cursors: readonly (string | null)[];
  /** Index of the page shown in `cursors`. */
  readonly page: number;
  /** The shown page's `nextAfter`, once it is loaded; `null` on the last page. */
  readonly nextAfter: string | null;
};

export const firstPage: PagerState = { cursors: [null], page: 0, nextAfter: null };

/** The `after` to ask for the page shown. */
export function afterOf(s: PagerState): string | null {
  return s.cursors[s.page] ?? null;
}

/** The shown page has loaded with this `nextAfter`. */
export function loaded(s: PagerState, nextAfter: string | null | undefined): PagerState {
  return { ...s, nextAfter: nextAfter ?? null };
}

export function hasNext(s: PagerState): boolean {
  return s.nextAfter !== null;
}

export function hasPrev(s: PagerState): boolean {
  return s.page > 0;
}

/** Moves to the next page (asked with the shown page's `nextAfter`). */
export function next(s: PagerState): PagerState {
  if (s.nextAfter === null) return s;
  const cursors = [...s.cursors.slice(0, s.page + 1), s.nextAfter];
  return { cursors, page: s.page + 1, nextAfter: null };
}

/** Moves back one page; the cursors already visited are kept. */
export function prev(s: PagerState): PagerState {
  if (s.page === 0) return s;
  return { cursors: s.cursors, page: s.page - 1, nextAfter: null };
}

/** The 1-based range of rows shown, for "21–40". */
export function rowRange(s: PagerState, pageSize: number, rowsShown: number): { first: number; last: number } {
  const first = s.page * pageSize + (rowsShown > 0 ? 1 : 0);
  return { first, last: s.page * pageSize + rowsShown };
}
