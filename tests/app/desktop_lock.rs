use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::vaults::{LONG, PASSPHRASE, unlock, vault_of_incidents};
use gawahi_e2e::app::App;
use gawahi_e2e::built_binary;

const TITLE: &str = "Raid on the office";

/// A private bus standing in for both the system bus (logind) and the session bus (the
/// screensaver), stopped when dropped.
struct PrivateBus {
    daemon: Child,
    address: String,
}

impl PrivateBus {
    fn start() -> Self {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon");
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut address).expect("address");
        Self { daemon, address: address.trim().to_owned() }
    }

    fn signal(&self, path: &str, member: &str, args: &[&str]) {
        let sent = Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args(["--type=signal", path, member])
            .args(args)
            .status()
            .expect("dbus-send");
        assert!(sent.success());
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Whether the core refuses a command because the vault is locked (not only the screen).
fn core_says_locked(app: &App) -> bool {
    let listed = app.s().execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__
           .invoke('list_records', {request: {kind: 'incident', after: null, limit: 50, query: null}})
           .then(() => done('listed'), (e) => done(e.code));",
        &[],
    );
    listed == json!("locked")
}

#[test]
fn going_to_sleep_or_the_screensaver_starting_locks_the_vault_in_the_app() {
    let bus = PrivateBus::start();
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let env = [("DBUS_SYSTEM_BUS_ADDRESS", bus.address.as_str()), ("DBUS_SESSION_BUS_ADDRESS", bus.address.as_str())];
    let mut app = App::launch_with_vault_and_env("desktop-lock", &vault.path, &env);
    unlock(&app);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("the incident listed", LONG, |s| s.text_of("#main").contains(TITLE));
    assert!(!core_says_locked(&app));

    // Waking up locks nothing; going to sleep locks.
    bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:false"]);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(app.s().find("#unlock-passphrase").is_none(), "waking up locked the vault");
    bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:true"]);
    app.s().wait("#unlock-passphrase", LONG);
    assert!(app.s().text_of("body").contains("The vault is locked."), "{}", app.s().text_of("body"));
    app.shot("locked-for-sleep");
    let html = app.s().execute("return document.documentElement.outerHTML", &[]);
    assert!(!html.as_str().unwrap_or_default().contains(TITLE), "the page still holds the record");
    assert!(core_says_locked(&app), "the vault itself is locked");

    // The screensaver starting locks too.
    unlock(&app);
    assert!(!core_says_locked(&app));
    bus.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", &["boolean:true"]);
    app.s().wait("#unlock-passphrase", LONG);
    assert!(core_says_locked(&app));
    app.close();
}

/// Runs `gawahi args…` on the vault with `passphrase` (and `new` as the new one), without a
/// terminal; returns its exit code.
fn gawahi(args: &[&str], passphrase: &str, new: &str) -> i32 {
    let out = Command::new(built_binary("gawahi"))
        .args(args)
        .env("GAWAHI_PASSPHRASE", passphrase)
        .env("GAWAHI_NEW_PASSPHRASE", new)
        .env_remove("GAWAHI_DURESS_PASSPHRASE")
        .stdin(Stdio::null())
        .output()
        .expect("gawahi");
    out.status.code().unwrap_or(-1)
}

/// The size of the vault's write-ahead log and whether its shared-memory index is there: what
/// SQLite leaves behind when the process ends with the database still open.
fn open_database_traces(vault: &std::path::Path) -> (Option<u64>, bool) {
    let wal = std::fs::metadata(vault.join("vault.db-wal")).ok().map(|m| m.len());
    (wal, vault.join("vault.db-shm").exists())
}

/// Closing the window (as a window manager does when its close button is pressed) locks the
/// vault and ends the app: the process exits; the database was closed, not abandoned (its
/// write-ahead log and index, there while it was open with a change in it, are gone); the vault's
/// lock is released, so that the command line can rotate the vault's key at once (which it
/// refuses as busy while the app holds the vault open); and a new launch asks for the passphrase, then shows
/// the change made before the close. An app that ended without locking would leave the log and
/// the index behind; one that did not end would keep the lock.
#[test]
fn closing_the_window_locks_the_vault_and_ends_the_app() {
    const NEW_PASSPHRASE: &str = "the passphrase after the window closed 9";
    let vault = vault_of_incidents([TITLE.to_owned()]);
    let dir = vault.path.display().to_string();
    let mut app = App::launch_with_vault("window-close", &vault.path);
    unlock(&app);
    // A change, so that the open database has something in its write-ahead log.
    let added = app.s().execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('add_record', {request: {kind: 'incident', fields: {
             title: 'Added just before the window closed', occurred_on: '2026-03-06', province: 'sindh',
             district: 'sindh.karachi_south', incident_types: ['raid_search']}}})
           .then((r) => done(r.id), (e) => done('failed: ' + JSON.stringify(e)));",
        &[],
    );
    assert!(added.as_str().is_some_and(|id| !id.starts_with("failed")), "{added}");
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("both incidents listed", LONG, |s| s.find_all("[data-testid=record-row]").len() == 2);
    app.shot("unlocked");
    let (wal, shm) = open_database_traces(&vault.path);
    assert!(wal.is_some_and(|n| n > 0) && shm, "the open vault has a log and an index: {wal:?} {shm}");
    eprintln!("window-close: the command line on the open vault");
    assert_eq!(
        gawahi(&["passwd", "--rotate", &dir], PASSPHRASE, NEW_PASSPHRASE),
        9,
        "busy while the app holds the vault"
    );

    let pid = app.app_pid().expect("the app's process");
    let asked = gawahi_e2e::x11::request_close(pid).expect("the close request sent");
    assert_eq!(asked, 1, "the app has one window to close");
    eprintln!("window-close: close requested");
    let started = std::time::Instant::now();
    while std::path::Path::new(&format!("/proc/{pid}")).exists() && started.elapsed() < LONG {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // A zombie (exited, not yet reaped by the driver) has no memory left; it counts as gone.
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(state.is_empty() || state.contains(") Z "), "the app is still running after its window closed: {state}");

    eprintln!("window-close: the app ended");
    let (wal, shm) = open_database_traces(&vault.path);
    assert!(wal.is_none_or(|n| n == 0) && !shm, "the database was left open: log {wal:?}, index {shm}");
    assert_eq!(gawahi(&["passwd", "--rotate", &dir], PASSPHRASE, NEW_PASSPHRASE), 0, "the vault is free at once");
    assert_eq!(gawahi(&["check", &dir], NEW_PASSPHRASE, ""), 0, "the vault checks clean");
    // Dropped, not only closed: the window's turn on the display goes with it.
    drop(app);

    // A new launch asks for the passphrase (the new one), and the change is there.
    let app = App::launch_with_vault("window-close-again", &vault.path);
    app.s().wait("#unlock-passphrase", LONG);
    app.s().type_into("#unlock-passphrase", NEW_PASSPHRASE);
    app.s().click_on("[data-testid=unlock]");
    app.s().wait("[data-testid=nav-dashboard]", LONG);
    app.settle();
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait_until("both incidents listed", LONG, |s| s.find_all("[data-testid=record-row]").len() == 2);
}
