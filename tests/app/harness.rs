use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_e2e::built_binary;
use gawahi_e2e::webdriver::Session;
use serde_json::json;

/// The app under test, its isolated home and its WebDriver session.
pub struct App {
    /// The session; `None` once ended.
    pub session: Option<Session>,
    driver: Child,
    /// HOME and the XDG directories of the app live under here, so the test can prove what the
    /// webview left on disk.
    pub home: tempfile::TempDir,
    shots: PathBuf,
    step: usize,
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

impl App {
    /// Starts tauri-driver and the app, with HOME and XDG directories in a fresh temporary
    /// directory.
    pub fn launch(name: &str) -> Self {
        assert!(
            std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
            "no display: run the app tests through `make test` or `make e2e`, which start Xvfb"
        );
        let home = tempfile::tempdir().expect("home");
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            // Software rendering: Xvfb has no GPU, and the DMA-BUF renderer fails without one.
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let driver = cmd.spawn().unwrap_or_else(|e| panic!("start tauri-driver ({}): {e}", tauri_driver().display()));
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let caps = json!({
            "browserName": "wry",
            "tauri:options": {"application": built_binary("gawahi-app").display().to_string()}
        });
        let session = loop {
            match Session::start(&base, &caps) {
                Ok(s) => break s,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/e2e").join(name);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).expect("artifacts dir");
        Self { session: Some(session), driver, home, shots, step: 0 }
    }

    /// The session.
    pub fn s(&self) -> &Session {
        self.session.as_ref().expect("session is running")
    }

    /// Saves a screenshot of the window as the next numbered step.
    pub fn shot(&mut self, what: &str) {
        self.step += 1;
        if let Some(png) = self.s().screenshot() {
            let path = self.shots.join(format!("{:02}-{what}.png", self.step));
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

    /// Ends the session (closing the app) and stops the driver.
    pub fn close(&mut self) {
        if let Some(s) = self.session.take() {
            s.end();
        }
        self.stop_driver();
    }

    fn stop_driver(&mut self) {
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
