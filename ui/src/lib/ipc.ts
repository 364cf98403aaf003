// The commands of src-tauri/src/command_list.rs, typed by the generated command map (see
// `commands.ts`). Each takes one argument, `request`; each rejects with an `IpcError`. Every call
// counts as "busy" while in flight (`<main aria-busy>`), and a `locked` error sends the app back
// to the unlock screen.
import { invoke } from '@tauri-apps/api/core';
import type { Call, RequestOf, ResponseOf } from './commands';
import { toIpcError } from './errors';
import { ui } from './state.svelte';

let onLocked: () => void = () => {};

/** What to do when a command reports that the vault is locked. */
export function whenLocked(f: () => void) {
  onLocked = f;
}

/** Calls a command, counting as busy while it runs. */
export const call: Call = async (command, request) => {
  ui.busy++;
  try {
    return await invoke(command, { request });
  } catch (e) {
    const err = toIpcError(e);
    if (err.code === 'locked' && command !== 'lock_vault') onLocked();
    throw err;
  } finally {
    ui.busy--;
  }
};

export const api = {
  appStatus: () => call('app_status', {}),
  saveSettings: (r: RequestOf<'save_settings'>) => call('save_settings', r),
  createVault: (r: RequestOf<'create_vault'>) => call('create_vault', r),
  unlockVault: (r: RequestOf<'unlock_vault'>) => call('unlock_vault', r),
  lockVault: () => call('lock_vault', {}),
  wipeVault: () => call('wipe_vault', {}),
  recoverySplit: (r: RequestOf<'recovery_split'>) => call('recovery_split', r),
  setDuress: (r: RequestOf<'set_duress'>) => call('set_duress', r),
  clearDuress: () => call('clear_duress', {}),
  unlockLimit: () => call('unlock_limit', {}),
  setUnlockLimit: (r: RequestOf<'set_unlock_limit'>) => call('set_unlock_limit', r),
  unlockAttempts: (r: RequestOf<'unlock_attempts'>) => call('unlock_attempts', r),
  /** Not counted as busy: it goes with every few seconds of typing or pointing. */
  noteActivity: () => invoke<ResponseOf<'note_activity'>>('note_activity', { request: {} satisfies RequestOf<'note_activity'> }).catch(() => null),
  /** The app puts `text` in the clipboard and clears it after 30 seconds if still there. */
  copyToClipboard: (text: string) => call('copy_to_clipboard', { text }),
  changePassphrase: (r: RequestOf<'change_passphrase'>) => call('change_passphrase', r),
  dashboard: (today: string) => call('dashboard', { today }),
  listRecords: (r: RequestOf<'list_records'>) => call('list_records', r),
  getRecord: (id: string) => call('get_record', { id }),
  addRecord: (r: RequestOf<'add_record'>) => call('add_record', r),
  updateRecord: (r: RequestOf<'update_record'>) => call('update_record', r),
  deleteRecord: (id: string) => call('delete_record', { id }),
  linkRecords: (fromId: string, toId: string, role: string) => call('link_records', { fromId, toId, role }),
  unlinkRecords: (linkId: string) => call('unlink_records', { linkId }),
  vocabularies: () => call('vocabularies', {}),
  hearingsCalendar: (r: RequestOf<'hearings_calendar'>) => call('hearings_calendar', r),
  caseTimeline: (caseId: string) => call('case_timeline', { caseId }),
  listEvidence: (recordId: string) => call('list_evidence', { recordId }),
  addEvidenceFiles: (recordId: string, paths: string[]) => call('add_evidence_files', { recordId, paths }),
  /** Not counted as busy: it is pressed while the intake it stops is busy. */
  cancelIntake: () => invoke<ResponseOf<'cancel_intake'>>('cancel_intake', { request: {} satisfies RequestOf<'cancel_intake'> }).catch(() => null),
  addWorkingCopy: (r: RequestOf<'add_working_copy'>, bytes: Uint8Array) => callRaw('add_working_copy', r, bytes),
  evidenceCustody: (id: string) => call('evidence_custody', { id }),
  exportEvidence: (id: string, path: string) => call('export_evidence', { id, path }),
  deleteEvidence: (id: string) => call('delete_evidence', { id }),
  openPreview: (id: string) => call('open_preview', { id }),
  evidenceThumbnail: (id: string) => call('evidence_thumbnail', { id }),
  closePreview: (id: string) => call('close_preview', { id }),
  // The vault's identity, its contacts and sealed bundles.
  identity: () => call('identity', {}),
  listContacts: () => call('list_contacts', {}),
  addContact: (r: RequestOf<'add_contact'>) => call('add_contact', r),
  removeContact: (id: string) => call('remove_contact', { id }),
  exportBundle: (r: RequestOf<'export_bundle'>) => call('export_bundle', r),
  verifyBundle: (r: RequestOf<'verify_bundle'>) => call('verify_bundle', r),
  importBundle: (r: RequestOf<'import_bundle'>) => call('import_bundle', r),
  /** Not counted as busy: it is sent while a bundle operation is busy. */
  cancelBundle: () => invoke<ResponseOf<'cancel_bundle'>>('cancel_bundle', { request: {} satisfies RequestOf<'cancel_bundle'> }).catch(() => null),
  recordHearingOutcome: (r: RequestOf<'record_hearing_outcome'>) => call('record_hearing_outcome', r),
  hearingsList: (r: RequestOf<'hearings_list'>) => call('hearings_list', r),
  causeList: (r: RequestOf<'cause_list'>) => call('cause_list', r),
  deadlines: (today: string, withinDays: number) => call('deadlines', { today, withinDays }),
  addDeadlineFromEvent: (r: RequestOf<'add_deadline_from_event'>) => call('add_deadline_from_event', r),
  findSections: (query: string) => call('find_sections', { query }),
  search: (r: RequestOf<'search'>) => call('search', r),
  facetCounts: (r: RequestOf<'facet_counts'>) => call('facet_counts', r),
  addOwnSection: (r: RequestOf<'add_own_section'>) => call('add_own_section', r),
  saveDraft: (key: string, body: unknown) => call('save_draft', { key, body }),
  loadDraft: (key: string) => call('load_draft', { key }),
  discardDraft: (key: string) => call('discard_draft', { key }),
  // Statistics, the anonymised table export, PDF reports and saved charts.
  stats: (r: RequestOf<'stats'>) => call('stats', r),
  exportTable: (r: RequestOf<'export_table'>) => call('export_table', r),
  writeReport: (r: RequestOf<'write_report'>) => call('write_report', r),
  saveChart: (r: RequestOf<'save_chart'>, bytes: Uint8Array) => callRaw('save_chart', r, bytes),
};

/**
 * Calls a command whose payload is bytes (an image from the redaction canvas): they travel as the
 * raw body of the call, not as megabytes of JSON numbers, and the request's other fields as JSON
 * in the `Gawahi-Request` header. A header holds ASCII only, so every other character is written
 * as a JSON escape (`\u0628`), which the JSON parser reads back as it was.
 */
async function callRaw<C extends 'add_working_copy' | 'save_chart'>(command: C, request: RequestOf<C>, bytes: Uint8Array): Promise<ResponseOf<C>> {
  const header = JSON.stringify(request).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  ui.busy++;
  try {
    return await invoke<ResponseOf<C>>(command, bytes, { headers: { 'Gawahi-Request': header } });
  } catch (e) {
    const err = toIpcError(e);
    if (err.code === 'locked') onLocked();
    throw err;
  } finally {
    ui.busy--;
  }
}

/** Runs `f` counting as busy (for work around several calls, so `aria-busy` does not flicker). */
export async function busyWhile<T>(f: () => Promise<T>): Promise<T> {
  ui.busy++;
  try {
    return await f();
  } finally {
    ui.busy--;
  }
}

/**
 * A debounce that counts as busy while it waits, so that whoever waits for `aria-busy` to clear
 * (people with screen readers, the end-to-end tests) also waits for the search typed a moment ago.
 */
export function debouncer(ms: number) {
  let timer: number | undefined;
  let pending: (() => unknown) | null = null;
  const settle = () => {
    if (pending) {
      pending = null;
      ui.busy--;
    }
  };
  return {
    schedule(f: () => unknown) {
      if (!pending) ui.busy++;
      window.clearTimeout(timer);
      pending = f;
      timer = window.setTimeout(() => {
        const run = pending;
        settle();
        run?.();
      }, ms);
    },
    /** Runs what is waiting now. */
    flush() {
      window.clearTimeout(timer);
      const run = pending;
      settle();
      run?.();
    },
    cancel() {
      window.clearTimeout(timer);
      settle();
    },
  };
}
