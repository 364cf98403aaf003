//! The app under test: tauri-driver with an isolated home, a WebDriver session on the built
//! `gawahi-app`, screenshots, and cleanup.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::built_binary;
use crate::webdriver::Session;
use serde_json::json;

/// One app window at a time on the display. Tests run on parallel threads, but two windows on one
/// X display share its pointer and focus: one test's clicks move the pointer over another's
/// window, which then counts as activity (and keeps auto-lock from ever firing). A person has one
/// window in front of them; so does each test.
static ONE_WINDOW: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// How long one step of the window's helpers below may take (a vault's creation runs Argon2id).
const STEP: Duration = Duration::from_secs(30);

/// The app under test, its isolated home and its WebDriver session.
#[derive(Debug)]
pub struct App {
    /// The session; `None` once ended.
    pub session: Option<Session>,
    driver: Child,
    /// HOME and the XDG directories of the app live under here, so the test can prove what the
    /// webview left on disk.
    pub home: tempfile::TempDir,
    shots: PathBuf,
    step: usize,
    /// When the session (and so the program) was asked for, with the driver already listening:
    /// the start of a cold start, without the driver's own start-up.
    pub requested: Instant,
    /// The same moment on the wall clock, to compare with the page's own clock
    /// (`performance.timeOrigin`).
    pub requested_wall: std::time::SystemTime,
    // Declared last so that it is released after the session and the driver have stopped.
    _turn: std::sync::MutexGuard<'static, ()>,
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin/tauri-driver"));
    match cargo_bin {
        Some(p) if p.exists() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// Runs `cmd` in its own process group with HOME and the XDG directories under `home`, rendering
/// in software, and without its output.
fn isolate(cmd: &mut Command, home: &Path) {
    // The runtime folder too (sockets, and whatever a library keeps "for this session"), made as
    // the XDG specification asks (0700), so that a test can scan everything this run wrote.
    let runtime = home.join("runtime");
    if std::fs::create_dir_all(&runtime).is_ok() {
        let _ = std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700));
    }
    cmd.env("HOME", home)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_STATE_HOME", home.join("state"))
        // Software rendering: Xvfb has no GPU, and the DMA-BUF renderer fails without one.
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    std::os::unix::process::CommandExt::process_group(cmd, 0);
}

impl App {
    /// Starts tauri-driver and the app, with HOME and XDG directories in a fresh temporary
    /// directory.
    pub fn launch(name: &str) -> Self {
        Self::launch_in(name, tempfile::tempdir().expect("home"))
    }

    /// Starts the app with its settings pointing at an existing vault, so it opens on the unlock
    /// screen.
    pub fn launch_with_vault(name: &str, vault: &Path) -> Self {
        Self::launch_with_vault_and_settings(name, vault, "en", 5)
    }

    /// Starts the app on the unlock screen of `vault`, in `language` (`en`, `ur`) and with
    /// auto-lock after `auto_lock_minutes`.
    pub fn launch_with_vault_and_settings(name: &str, vault: &Path, language: &str, auto_lock_minutes: u32) -> Self {
        let home = tempfile::tempdir().expect("home");
        let config = home.path().join("config/org.gawahi.app");
        std::fs::create_dir_all(&config).expect("config dir");
        let settings = json!({"language": language, "autoLockMinutes": auto_lock_minutes,
                              "lastVaultPath": vault.display().to_string()});
        std::fs::write(config.join("settings.json"), settings.to_string()).expect("settings");
        Self::launch_in(name, home)
    }

    /// Starts `binary` (another Tauri program, such as the `empty_window` example) the way the
    /// app is started: under tauri-driver, with an isolated home. Its window must accept a
    /// WebDriver session, which in WebKitGTK means it is not incognito while driven.
    pub fn launch_binary(name: &str, binary: &Path) -> Self {
        Self::launch_program(name, tempfile::tempdir().expect("home"), binary)
    }

    fn launch_in(name: &str, home: tempfile::TempDir) -> Self {
        Self::launch_program(name, home, &built_binary("gawahi-app"))
    }

    /// As [`App::launch_with_vault`], with `env` added to the app's environment (a private
    /// D-Bus, say).
    pub fn launch_with_vault_and_env(name: &str, vault: &Path, env: &[(&str, &str)]) -> Self {
        let home = tempfile::tempdir().expect("home");
        let config = home.path().join("config/org.gawahi.app");
        std::fs::create_dir_all(&config).expect("config dir");
        let settings = json!({"language": "en", "autoLockMinutes": 5, "lastVaultPath": vault.display().to_string()});
        std::fs::write(config.join("settings.json"), settings.to_string()).expect("settings");
        Self::launch_program_with(name, home, &built_binary("gawahi-app"), env)
    }

    fn launch_program(name: &str, home: tempfile::TempDir, binary: &Path) -> Self {
        Self::launch_program_with(name, home, binary, &[])
    }

    fn launch_program_with(name: &str, home: tempfile::TempDir, binary: &Path, env: &[(&str, &str)]) -> Self {
        // A test that failed with its window open poisons the lock; the next one may still go.
        let turn = ONE_WINDOW.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        assert!(
            std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
            "no display: run the app tests through `make test` or `make e2e`, which start Xvfb"
        );
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        isolate(&mut cmd, home.path());
        cmd.envs(env.iter().copied());
        let driver = cmd.spawn().unwrap_or_else(|e| panic!("start tauri-driver ({}): {e}", tauri_driver().display()));
        let base = format!("http://127.0.0.1:{port}");
        // The driver is ready when its port accepts a connection; asking for the session only
        // then keeps the driver's own start-up out of the program's (and out of its timing).
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && started.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        let caps = json!({
            "browserName": "wry",
            "tauri:options": {"application": binary.display().to_string()}
        });
        let (mut requested, mut requested_wall) = (Instant::now(), std::time::SystemTime::now());
        let session = loop {
            match Session::start(&base, &caps) {
                Ok(s) => break s,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(200));
                    (requested, requested_wall) = (Instant::now(), std::time::SystemTime::now());
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/e2e").join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("artifacts dir");
        Self { session: Some(session), driver, home, shots, step: 0, requested, requested_wall, _turn: turn }
    }

    /// The session.
    pub fn s(&self) -> &Session {
        self.session.as_ref().expect("session is running")
    }

    /// Saves a screenshot of the window as the next numbered step.
    pub fn shot(&mut self, what: &str) {
        self.step += 1;
        eprintln!("e2e step {}: {what}", self.step);
        let path = self.shots.join(format!("{:02}-{what}.png", self.step));
        // The X server's own picture of the window (ImageMagick), not WebKit's rendering of the
        // page: it shows what a person would see, and WebKitWebDriver's screenshot endpoint is
        // slow and sometimes empty under Xvfb.
        let taken = Command::new("import").args(["-window", "root"]).arg(&path).status().is_ok_and(|s| s.success());
        if !taken && let Some(png) = self.s().screenshot() {
            std::fs::write(&path, png).expect("write screenshot");
        }
    }

    /// Waits until the app is idle (no `aria-busy` on the main region).
    pub fn settle(&self) {
        self.s().wait_until("the app to finish its work", Duration::from_secs(30), |s| {
            s.execute(
                "const m = document.getElementById('main'); return !m || m.getAttribute('aria-busy') !== 'true';",
                &[],
            ) == json!(true)
        });
    }

    /// On the first-run screen, creates a vault at `dir` under `passphrase` and waits for the
    /// dashboard; asserts that the vault was made where asked.
    pub fn create_vault(&self, dir: &Path, passphrase: &str) {
        let s = self.s();
        s.wait("#vault-path", STEP);
        s.set_value("#vault-path", &dir.display().to_string());
        s.type_into("#new-passphrase", passphrase);
        s.type_into("#confirm-passphrase", passphrase);
        s.click_on("[data-testid=create-vault]");
        s.wait("[data-testid=nav-dashboard]", STEP);
        self.settle();
        assert!(dir.join("vault.header").is_file(), "the vault was made where asked");
    }

    /// Opens the screen of `kind` (a record kind's list, or another screen of the sidebar).
    pub fn open_kind(&self, kind: &str) {
        self.s().click_on(&format!("[data-testid=nav-{kind}]"));
        self.settle();
    }

    /// Opens the form of a new record of `kind`.
    pub fn new_record(&self, kind: &str) {
        self.open_kind(kind);
        self.s().click_on("[data-testid=new-record]");
        self.s().wait("[data-testid=save-record]", STEP);
    }

    /// Saves the open form and waits for the record's page.
    pub fn save_record(&self) {
        self.s().click_on("[data-testid=save-record]");
        self.settle();
        self.s().wait("[data-testid=record-title]", STEP);
    }

    /// The memory of every process in the app's tree: the app and the WebKit processes it spawned.
    pub fn process_tree_memory(&self) -> Vec<ProcessMemory> {
        let procs = processes();
        // The app this harness launched: the gawahi-app under our tauri-driver.
        let driven = descendants(&procs, self.driver.id());
        let app = procs.iter().find(|p| p.name == "gawahi-app" && driven.contains(&p.pid)).expect("the app's process");
        tree_memory(&procs, app.pid)
    }

    /// The process id of the app this harness launched (the `gawahi-app` under its tauri-driver),
    /// while it runs.
    pub fn app_pid(&self) -> Option<u32> {
        let procs = processes();
        let driven = descendants(&procs, self.driver.id());
        procs.iter().find(|p| p.name == "gawahi-app" && driven.contains(&p.pid)).map(|p| p.pid)
    }

    /// Closes the app and starts it again in the same home (settings, vaults, what the webview
    /// kept), as a person quitting and coming back.
    #[must_use]
    pub fn restart(mut self, name: &str) -> Self {
        let home = std::mem::replace(&mut self.home, tempfile::tempdir().expect("a spare home"));
        // The window's turn is given back as `self` goes, before the next launch waits for it.
        drop(self);
        Self::launch_in(name, home)
    }

    /// Ends the session (closing the app) and stops the driver.
    pub fn close(&mut self) {
        if let Some(s) = self.session.take() {
            s.end();
        }
        self.stop_driver();
    }

    fn stop_driver(&mut self) {
        if matches!(self.driver.try_wait(), Ok(Some(_))) {
            return;
        }
        // tauri-driver starts WebKitWebDriver in the same process group; stop them all.
        let _ = Command::new("kill").args(["--", &format!("-{}", self.driver.id())]).status();
        let _ = self.driver.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.close();
    }
}

/// The resident memory of one process of the app's tree, from `/proc/<pid>/smaps_rollup`.
#[derive(Debug, Clone)]
pub struct ProcessMemory {
    /// The process's name as the kernel reports it (truncated to 15 bytes).
    pub name: String,
    /// The process id.
    pub pid: u32,
    /// Resident set size: every page the process has in memory, shared ones included.
    pub rss_kib: u64,
    /// Proportional set size: each shared page divided among the processes that map it.
    pub pss_kib: u64,
}

/// One line of the process table.
struct Process {
    pid: u32,
    parent: u32,
    name: String,
}

fn processes() -> Vec<Process> {
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let field =
                |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_owned());
            Some(Process { pid, parent: field("PPid:")?.parse().ok()?, name: field("Name:")? })
        })
        .collect()
}

/// `root` and every process below it.
fn descendants(procs: &[Process], root: u32) -> Vec<u32> {
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(procs.iter().filter(|p| p.parent == parent).map(|p| p.pid));
        i += 1;
    }
    tree
}

fn tree_memory(procs: &[Process], root: u32) -> Vec<ProcessMemory> {
    let tree = descendants(procs, root);
    procs
        .iter()
        .filter(|p| tree.contains(&p.pid))
        .map(|p| {
            // smaps_rollup sums every mapping of the process; Pss shares each page among the
            // processes that map it, so the tree's Pss counts a shared library once.
            let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", p.pid)).unwrap_or_default();
            let kib = |name: &str| {
                rollup
                    .lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l[name.len()..].split_whitespace().next()?.parse().ok())
                    .unwrap_or(0)
            };
            ProcessMemory { name: p.name.clone(), pid: p.pid, rss_kib: kib("Rss:"), pss_kib: kib("Pss:") }
        })
        .collect()
}

/// The memory of a program that opens a WebKitGTK window (the `empty_window` example), measured
/// like the app's: started with an isolated home, left `settle` after its web process appears,
/// then stopped.
pub fn window_memory(binary: &Path, settle: Duration) -> Vec<ProcessMemory> {
    let home = tempfile::tempdir().expect("home");
    let mut cmd = Command::new(binary);
    isolate(&mut cmd, home.path());
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
    let started = Instant::now();
    loop {
        let procs = processes();
        let tree = descendants(&procs, child.id());
        if procs.iter().any(|p| p.name == "WebKitWebProces" && tree.contains(&p.pid)) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{} opened no web process", binary.display());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(settle);
    let memory = tree_memory(&processes(), child.id());
    let _ = Command::new("kill").args(["--", &format!("-{}", child.id())]).status();
    let _ = child.wait();
    memory
}
