//! Locks the vault when the computer goes to sleep or the screen locks, where the desktop says
//! so over D-Bus: logind's `PrepareForSleep` and `Lock` on the system bus, and the screensavers'
//! `ActiveChanged` (freedesktop's and GNOME's) on the session bus. A desktop that reports
//! neither still has the idle auto-lock (`idle.rs`).
//!
//! D-Bus is a local socket; an address naming any other transport (`tcp:`, `nonce-tcp:`,
//! `autolaunch:`…) is refused before anything connects, so this opens no network connection
//! and starts no bus of its own. Any program of the user's can send these signals: the worst a
//! forged one does is lock the vault.

use std::sync::Arc;
use std::time::Duration;

use dbus::blocking::Connection;
use dbus::channel::Channel;
use dbus::message::MatchRule;

use crate::ipc::LockReason;

/// The system bus's address when `DBUS_SYSTEM_BUS_ADDRESS` does not say (the D-Bus
/// specification's default).
const SYSTEM_BUS: &str = "unix:path=/var/run/dbus/system_bus_socket";

/// How long the watch waits before trying a lost bus again (its daemon restarted, say).
const RETRY_AFTER: Duration = Duration::from_secs(30);

/// What a watch does when the desktop asks for a lock.
pub type OnLock = Arc<dyn Fn(LockReason) + Send + Sync>;

/// Which bus, and so which signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bus {
    /// logind: sleep and session locks.
    System,
    /// The screensavers.
    Session,
}

/// Why a bus is not watched.
#[derive(Debug)]
pub enum WatchError {
    /// The address names a transport other than a local socket.
    NotLocal,
    /// The bus could not be reached or refused the match rules.
    Bus,
}

/// Whether every transport in a D-Bus address list is a local (`unix:`) socket. An empty list
/// is not.
pub fn is_local(address: &str) -> bool {
    let mut transports = address.split(';').filter(|t| !t.trim().is_empty()).peekable();
    transports.peek().is_some() && transports.all(|t| t.trim_start().starts_with("unix:"))
}

/// The address of `bus` from the environment, as libdbus would find it, without autolaunch: the
/// session bus is the one `DBUS_SESSION_BUS_ADDRESS` names, or `$XDG_RUNTIME_DIR/bus` if that
/// socket exists; none otherwise.
pub fn address_of(bus: Bus) -> Option<String> {
    match bus {
        Bus::System => Some(std::env::var("DBUS_SYSTEM_BUS_ADDRESS").unwrap_or_else(|_| SYSTEM_BUS.to_owned())),
        Bus::Session => std::env::var("DBUS_SESSION_BUS_ADDRESS").ok().or_else(|| {
            let socket = std::path::Path::new(&std::env::var_os("XDG_RUNTIME_DIR")?).join("bus");
            socket.exists().then(|| format!("unix:path={}", socket.display()))
        }),
    }
}

/// Starts watching both buses of this session, each on a thread of its own that lives as long
/// as the app (a bus that cannot be reached is tried again now and then).
pub fn watch(on_lock: &OnLock) {
    for bus in [Bus::System, Bus::Session] {
        let on_lock = Arc::clone(on_lock);
        let started = std::thread::Builder::new().name(format!("{bus:?} bus lock watch")).spawn(move || {
            loop {
                if let Some(address) = address_of(bus)
                    && let Ok(connection) = connect(&address, bus, &on_lock)
                {
                    // Returns only when the bus is lost.
                    while connection.process(Duration::from_hours(1)).is_ok() {}
                }
                std::thread::sleep(RETRY_AFTER);
            }
        });
        // Without the thread there is still the idle auto-lock; nothing to tell the window.
        drop(started);
    }
}

/// Connects to the bus at `address` and asks it for the signals that mean a lock on `bus`; each
/// calls `on_lock` while the returned connection is processed. The match rules are in place
/// when this returns.
pub fn connect(address: &str, bus: Bus, on_lock: &OnLock) -> Result<Connection, WatchError> {
    if !is_local(address) {
        return Err(WatchError::NotLocal);
    }
    let mut channel = Channel::open_private(address).map_err(|_| WatchError::Bus)?;
    channel.register().map_err(|_| WatchError::Bus)?;
    let connection = Connection::from(channel);
    let rule = |interface: &'static str, member: &'static str| MatchRule::new_signal(interface, member);
    match bus {
        Bus::System => {
            let f = Arc::clone(on_lock);
            connection
                .add_match(
                    rule("org.freedesktop.login1.Manager", "PrepareForSleep"),
                    move |(sleeping,): (bool,), _, _| {
                        // Also sent (false) on waking; only going to sleep locks.
                        if sleeping {
                            f(LockReason::Suspend);
                        }
                        true
                    },
                )
                .map_err(|_| WatchError::Bus)?;
            let f = Arc::clone(on_lock);
            connection
                .add_match(rule("org.freedesktop.login1.Session", "Lock"), move |(): (), _, _| {
                    f(LockReason::ScreenLock);
                    true
                })
                .map_err(|_| WatchError::Bus)?;
        }
        Bus::Session => {
            for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
                let f = Arc::clone(on_lock);
                connection
                    .add_match(rule(interface, "ActiveChanged"), move |(active,): (bool,), _, _| {
                        if active {
                            f(LockReason::ScreenLock);
                        }
                        true
                    })
                    .map_err(|_| WatchError::Bus)?;
            }
        }
    }
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use std::io::BufRead;
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn only_local_socket_addresses_are_used() {
        assert!(is_local("unix:path=/run/user/1000/bus"));
        assert!(is_local("unix:abstract=/tmp/dbus-x,guid=0123"));
        assert!(is_local("unix:path=/a;unix:path=/b"));
        assert!(is_local(SYSTEM_BUS));
    }

    #[test]
    fn fail_an_address_naming_any_other_transport_is_refused() {
        for address in [
            "tcp:host=10.0.0.1,port=1234",
            "unix:path=/a;tcp:host=example.org,port=1",
            "nonce-tcp:host=localhost,port=1",
            "autolaunch:",
            "launchd:env=X",
            "",
            ";",
            " tcp:host=x",
            "unix:path=/a\n;tcp:host=x",
        ] {
            assert!(!is_local(address), "{address:?}");
            let on_lock: OnLock = Arc::new(|_| {});
            assert!(matches!(connect(address, Bus::Session, &on_lock), Err(WatchError::NotLocal)), "{address:?}");
        }
    }

    /// A private bus for one test: `dbus-daemon --session` on a socket of its own, stopped when
    /// dropped.
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
                .expect("dbus-daemon (Debian's dbus-daemon package; scripts/bootstrap installs it)");
            let mut address = String::new();
            std::io::BufReader::new(daemon.stdout.take().expect("stdout"))
                .read_line(&mut address)
                .expect("the bus's address");
            Self { daemon, address: address.trim().to_owned() }
        }

        /// Sends a signal as `dbus-send` does from any program of the user's.
        fn signal(&self, path: &str, member: &str, args: &[&str]) {
            let status = Command::new("dbus-send")
                .arg(format!("--bus={}", self.address))
                .args(["--type=signal", path, member])
                .args(args)
                .status()
                .expect("dbus-send");
            assert!(status.success());
        }
    }

    impl Drop for PrivateBus {
        fn drop(&mut self) {
            let _ = self.daemon.kill();
            let _ = self.daemon.wait();
        }
    }

    /// Watches `bus` on a private bus, runs `send`, and returns the lock reasons heard within a
    /// few seconds.
    fn heard(bus: Bus, send: impl FnOnce(&PrivateBus)) -> Vec<LockReason> {
        let private = PrivateBus::start();
        assert!(is_local(&private.address), "{}", private.address);
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let on_lock: OnLock = Arc::new(move |reason| {
            let _ = tx.lock().expect("sender").send(reason);
        });
        let connection = connect(&private.address, bus, &on_lock).expect("connect");
        send(&private);
        let mut reasons = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(3);
        while std::time::Instant::now() < deadline {
            connection.process(Duration::from_millis(100)).expect("process");
            reasons.extend(rx.try_iter());
        }
        reasons
    }

    #[test]
    fn suspend_and_session_lock_from_logind_ask_for_a_lock() {
        let reasons = heard(Bus::System, |bus| {
            bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:true"]);
            bus.signal("/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session.Lock", &[]);
        });
        assert_eq!(reasons, [LockReason::Suspend, LockReason::ScreenLock]);
    }

    #[test]
    fn a_screensaver_becoming_active_asks_for_a_lock() {
        let reasons = heard(Bus::Session, |bus| {
            bus.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", &["boolean:true"]);
            bus.signal("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged", &["boolean:true"]);
        });
        assert_eq!(reasons, [LockReason::ScreenLock, LockReason::ScreenLock]);
    }

    #[test]
    fn fail_waking_up_unlocking_the_screen_or_malformed_signals_lock_nothing() {
        let reasons = heard(Bus::System, |bus| {
            bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["boolean:false"]);
            bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &["string:yes"]);
            bus.signal("/org/freedesktop/login1", "org.freedesktop.login1.Manager.PrepareForSleep", &[]);
            bus.signal("/org/freedesktop/login1/session/_31", "org.freedesktop.login1.Session.Unlock", &[]);
        });
        assert_eq!(reasons, []);
        let reasons = heard(Bus::Session, |bus| {
            bus.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", &["boolean:false"]);
            bus.signal("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.ActiveChanged", &["int32:1"]);
        });
        assert_eq!(reasons, []);
    }
}
