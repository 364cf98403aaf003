//! End-to-end tests of the real app: the built `gawahi-app` binary in a real WebKitGTK window
//! (under Xvfb in CI), driven through WebDriver (tauri-driver + WebKitWebDriver). Each step saves
//! a screenshot to `artifacts/e2e/` (git-ignored).

/// A defender's first session: create a vault, record an incident and a PECA case with a
/// hearing, link them, lock and unlock, switch to Urdu, and try to inject markup.
mod journey;

/// Accessibility of every screen in English and Urdu: controls named for screen readers, ids
/// unique, no reordered tab path, one heading per page.
mod accessibility;

/// Auto-lock: idle for the minutes set in Settings, the vault locks (in the core, not only on
/// screen), the page forgets the records it showed, and unlocking brings them back.
mod autolock;

/// Camouflage: a neutral window title and name in English and Urdu, from the first frame after
/// a restart; the settings file names no vault.
mod camouflage;

/// The clipboard: a copied key is cleared from it after 30 seconds, unless another program's
/// text has replaced it.
mod clipboard;

/// The desktop's signals on a private D-Bus: going to sleep or the screensaver starting locks
/// the vault in the running app (in the core, not only on screen); waking up does not.
mod desktop_lock;

/// Changing the passphrase in Settings: refused while weak or unconfirmed; afterwards the old
/// passphrase is wrong and the new one opens the same records. With the vault key replaced too,
/// progress is shown while the form is disabled, and a copy of the key file taken before opens
/// nothing of the vault any more.
mod passphrase;

/// Paging through a list of 120 incidents: every record once, back and forth, and a click on a
/// row below the fold of a later page opens that row's record.
mod paging;

/// Sealed bundles: a case sealed to a contact in one vault, refused by the wrong vault, checked
/// (English and Urdu) and imported in the right one; the identity and contacts screen.
mod bundle;
/// Court casework in English and Urdu: an adjournment recorded in one step shows its next date
/// once everywhere; deadline warnings; a warning before leaving an edited form; a draft kept
/// through auto-lock; no untranslated English on the Urdu screens.
mod court;
/// The evidence locker: an image with a location and a PDF attached to a case, previewed from
/// memory, a redacted copy listed under its original, and no plaintext of them on disk after.
mod evidence;
/// Statistics, exports and reports in English and Urdu: charts counted and filtered, a chart's
/// numbers saved as CSV, the anonymised table without a non-consenting person, an Urdu PDF whose
/// words come back from pdftotext.
mod reports;

/// The list's own filter, the same query as search: words (Urdu without aerab), labels, a facet,
/// the count; field names match nothing. English and Urdu.
mod list_filter;
/// Search: an Urdu word without its diacritics found, narrowed by a facet, opened; English and Urdu.
mod search;

/// The window opens at the size it was left at; the sidebar and the top bar fit short windows in
/// English and Urdu; the page's inlined stylesheet applies under its policy, injected ones do not.
mod window;

/// The duress passphrase in Settings (decoy and wipe) and the last-try warning, English and Urdu.
mod duress;
/// The panic wipe in Settings: countdown, cancel, wipe; the vault and settings gone; first run.
/// Recovery shares shown as words and QR codes, written to no file.
mod wipe;

/// The canary leak test and the no-network test: a whole session in a network namespace of its
/// own and under strace, then every file it could have written scanned for the canary.
mod canary;

/// Hostile text and file names (script, HTML, bidi overrides, zero-width characters, very long
/// strings) shown inert, isolated and without sideways scrolling; previews and frames run nothing.
mod hostile;

/// Vaults made through the core for the tests above, and unlocking them in the app.
mod vaults;
