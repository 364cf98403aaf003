use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use serde_json::json;

use crate::vaults::{LONG, unlock, vault_of_incidents};
use gawahi_e2e::app::App;

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
