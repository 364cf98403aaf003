//! Helpers for the end-to-end tests: running the built `gawahi` binary against vaults in
//! temporary directories.
#![forbid(unsafe_code)]

pub mod app;
pub mod pdf;
pub mod plaintext;
pub mod webdriver;
pub mod x11;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The passphrase the tests' vaults are made with.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// The built binary `name` from this workspace's target directory (the one holding this test
/// executable), so the tests run exactly what `cargo build` made.
pub fn built_binary(name: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(format!("GAWAHI_TEST_{}", name.to_uppercase().replace('-', "_"))) {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test executable path");
    // target/<profile>/deps/<test> → target/<profile>/<name>
    let dir = exe.parent().and_then(Path::parent).expect("target profile directory");
    let bin = dir.join(name);
    assert!(bin.exists(), "{} is not built: run `cargo build --workspace` first", bin.display());
    bin
}

/// What a run of the CLI did.
#[derive(Debug)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    fn from(out: &Output) -> Self {
        Self {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts success and returns trimmed stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self.stdout.trim()
    }

    /// Asserts the exit code and returns stderr.
    pub fn fails_with(&self, code: i32) -> &str {
        assert_eq!(self.code, code, "expected exit {code}: {self:#?}");
        assert!(self.stdout.trim().is_empty() || code == 6, "a failure printed output: {self:#?}");
        assert_eq!(self.stderr.trim().lines().count(), 1, "errors are one line: {self:#?}");
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
        self.stderr.trim()
    }

    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("not JSON ({e}): {self:#?}"))
    }
}

/// Runs the shell `script` in a private mount namespace (`unshare -m`), so that the tmpfs and
/// read-only mounts it makes are its own and vanish with it: `$MNT` is an empty folder `mnt` made
/// in `dir` to mount on, `$GAWAHI` the built CLI, `GAWAHI_PASSPHRASE` the tests' passphrase, and
/// `env` the rest. Returns what the script printed, standard output then standard error; fails
/// the test when the namespace cannot be made (these tests need root or user namespaces).
pub fn in_mount_namespace(dir: &Path, script: &str, env: &[(&str, &dyn AsRef<std::ffi::OsStr>)]) -> String {
    let mnt = dir.join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir mnt");
    let mut command = Command::new("unshare");
    command
        .args(["-m", "--propagation", "private", "sh", "-c", script])
        .env("MNT", &mnt)
        .env("GAWAHI", built_binary("gawahi"))
        .env("GAWAHI_PASSPHRASE", PASSPHRASE);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().expect("unshare");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the mount namespace could not be set up (needs root or user namespaces): {text}");
    text
}

/// A vault directory inside a temporary directory, and the CLI to use on it.
#[derive(Debug)]
pub struct Gawahi {
    /// Keeps the temporary directory alive.
    pub tmp: tempfile::TempDir,
    /// The vault directory.
    pub vault: PathBuf,
    bin: PathBuf,
    passphrase: String,
}

impl Gawahi {
    /// A new, not yet created vault path.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let vault = tmp.path().join("vault");
        Self { tmp, vault, bin: built_binary("gawahi"), passphrase: PASSPHRASE.to_owned() }
    }

    /// A created vault (KDF at its floor, to keep tests fast).
    pub fn init() -> Self {
        let g = Self::new();
        g.run_new(&["init", &g.vault_str(), "--kdf-target-ms", "1"], PASSPHRASE).ok();
        g
    }

    /// The vault path as a string.
    pub fn vault_str(&self) -> String {
        self.vault.display().to_string()
    }

    /// Uses `passphrase` for later runs.
    pub fn with_passphrase(&mut self, passphrase: &str) {
        passphrase.clone_into(&mut self.passphrase);
    }

    /// Runs `gawahi args…` with the current passphrase in the environment.
    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args).env("GAWAHI_PASSPHRASE", &self.passphrase).run()
    }

    /// Runs with a new passphrase too (init, passwd).
    pub fn run_new(&self, args: &[&str], new: &str) -> Run {
        self.command(args).env("GAWAHI_PASSPHRASE", &self.passphrase).env("GAWAHI_NEW_PASSPHRASE", new).run()
    }

    /// A command with a clean environment and no terminal, so nothing can prompt.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(args)
            .env_remove("GAWAHI_PASSPHRASE")
            .env_remove("GAWAHI_NEW_PASSPHRASE")
            .env_remove("GAWAHI_DURESS_PASSPHRASE")
            .stdin(Stdio::null());
        c
    }
}

impl Default for Gawahi {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs a command to completion.
pub trait RunExt {
    /// Runs and collects the output.
    fn run(&mut self) -> Run;
}

impl RunExt for Command {
    fn run(&mut self) -> Run {
        Run::from(&self.output().expect("run the binary"))
    }
}

/// The fixtures directory shared with the core's tests.
pub fn core_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/gawahi-core/tests/data")
}

/// Writes a file of `len` pseudo-random bytes (xorshift from `seed`), in fixed pieces: the
/// evidence tests make files of hundreds of megabytes.
pub fn write_random(path: &Path, len: usize, seed: u64) {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d ^ seed;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut left = len;
    let mut buf = vec![0u8; 1 << 16];
    while left > 0 {
        for b in &mut buf {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        let n = left.min(buf.len());
        std::io::Write::write_all(&mut f, &buf[..n]).expect("write");
        left -= n;
    }
}
