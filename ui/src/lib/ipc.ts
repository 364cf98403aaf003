// The commands of src-tauri/src/commands.rs. Each takes one argument, `request`; each rejects
// with an `IpcError`. Every call counts as "busy" while in flight (`<main aria-busy>`), and a
// `locked` error sends the app back to the unlock screen.
import { invoke } from '@tauri-apps/api/core';
import type { AddRecordRequest } from '../bindings/AddRecordRequest';
import type { AppStatus } from '../bindings/AppStatus';
import type { ChangePassphraseRequest } from '../bindings/ChangePassphraseRequest';
import type { CreateVaultRequest } from '../bindings/CreateVaultRequest';
import type { DashboardView } from '../bindings/DashboardView';
import type { DetailView } from '../bindings/DetailView';
import type { HearingView } from '../bindings/HearingView';
import type { HearingsCalendarRequest } from '../bindings/HearingsCalendarRequest';
import type { Link } from '../bindings/Link';
import type { ListRecordsRequest } from '../bindings/ListRecordsRequest';
import type { PassphraseChangeView } from '../bindings/PassphraseChangeView';
import type { RecordPage } from '../bindings/RecordPage';
import type { RecordView } from '../bindings/RecordView';
import type { SaveSettingsRequest } from '../bindings/SaveSettingsRequest';
import type { Settings } from '../bindings/Settings';
import type { TimelineView } from '../bindings/TimelineView';
import type { UnlockVaultRequest } from '../bindings/UnlockVaultRequest';
import type { UpdateRecordRequest } from '../bindings/UpdateRecordRequest';
import type { VaultInfo } from '../bindings/VaultInfo';
import type { VocabularyView } from '../bindings/VocabularyView';
import { toIpcError } from './errors';
import { ui } from './state.svelte';

let onLocked: () => void = () => {};

/** What to do when a command reports that the vault is locked. */
export function whenLocked(f: () => void) {
  onLocked = f;
}

async function call<T>(command: string, request: object): Promise<T> {
  ui.busy++;
  try {
    return await invoke<T>(command, { request });
  } catch (e) {
    const err = toIpcError(e);
    if (err.code === 'locked' && command !== 'lock_vault') onLocked();
    throw err;
  } finally {
    ui.busy--;
  }
}

export const api = {
  appStatus: () => call<AppStatus>('app_status', {}),
  saveSettings: (r: SaveSettingsRequest) => call<Settings>('save_settings', r),
  createVault: (r: CreateVaultRequest) => call<VaultInfo>('create_vault', r),
  unlockVault: (r: UnlockVaultRequest) => call<VaultInfo>('unlock_vault', r),
  lockVault: () => call<null>('lock_vault', {}),
  /** Not counted as busy: it goes with every few seconds of typing or pointing. */
  noteActivity: () => invoke<null>('note_activity', { request: {} }).catch(() => null),
  changePassphrase: (r: ChangePassphraseRequest) => call<PassphraseChangeView>('change_passphrase', r),
  dashboard: (today: string) => call<DashboardView>('dashboard', { today }),
  listRecords: (r: ListRecordsRequest) => call<RecordPage>('list_records', r),
  getRecord: (id: string) => call<DetailView>('get_record', { id }),
  addRecord: (r: AddRecordRequest) => call<RecordView>('add_record', r),
  updateRecord: (r: UpdateRecordRequest) => call<RecordView>('update_record', r),
  deleteRecord: (id: string) => call<null>('delete_record', { id }),
  linkRecords: (fromId: string, toId: string, role: string) => call<Link>('link_records', { fromId, toId, role }),
  unlinkRecords: (linkId: string) => call<null>('unlink_records', { linkId }),
  vocabularies: () => call<VocabularyView[]>('vocabularies', {}),
  hearingsCalendar: (r: HearingsCalendarRequest) => call<HearingView[]>('hearings_calendar', r),
  caseTimeline: (caseId: string) => call<TimelineView>('case_timeline', { caseId }),
};

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
