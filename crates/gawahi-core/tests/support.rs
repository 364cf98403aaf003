use std::path::{Path, PathBuf};
use std::time::Duration;

use gawahi_core::{Kind, SecretString, Vault};
use serde_json::{Map, Value};
use tempfile::TempDir;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// Where a child process of a kill -9 or full-disk test (see [`child`]) finds its vault.
pub const CHILD_VAULT: &str = "GAWAHI_TEST_CHILD_VAULT";

/// This test binary again, running only the child function `name` (an ignored test that does
/// nothing without [`CHILD_VAULT`]), on the vault at `dir`.
pub fn child(name: &str, dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(std::env::current_exe().expect("this test binary"));
    c.args(["--exact", name, "--ignored", "--nocapture", "--test-threads=1"]).env(CHILD_VAULT, dir);
    c
}

/// Runs the child function `name` on the vault at `dir`, which prints `said` and a count (`added
/// 3`) each time it has finished a piece of work, and kills it with SIGKILL (nothing of it runs
/// after that: no destructor, no rollback) `pause` after it has said a count of at least
/// `at_least`, so the kill lands in the middle of the next piece or between two. Returns the last
/// count it said before it died.
pub fn kill_child_after(name: &str, dir: &Path, said: &str, at_least: u64, pause: Duration) -> u64 {
    use std::io::BufRead;
    let mut process = child(name, dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut lines = std::io::BufReader::new(process.stdout.take().expect("stdout")).lines();
    let mut last = None;
    let mut note = |line: std::io::Result<String>| {
        if let Some(n) = line.expect("a line").strip_prefix(said) {
            last = Some(n.parse::<u64>().expect("a count"));
        }
        last
    };
    for line in lines.by_ref() {
        if note(line) >= Some(at_least) {
            break;
        }
    }
    std::thread::sleep(pause);
    process.kill().expect("kill -9");
    let status = process.wait().expect("wait");
    assert!(!status.success(), "the child was killed, not finished");
    // What it said before it died.
    for line in lines {
        note(line);
    }
    last.expect("the child said a count before it was killed")
}

pub fn pass(s: &str) -> SecretString {
    SecretString::from(s)
}

/// A new vault in a fresh temporary directory. The KDF target of zero gives the floor
/// parameters (64 MiB, 2 passes), which keeps tests fast without weakening what they test.
pub fn new_vault() -> (TempDir, PathBuf, Vault) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");
    let v = Vault::create(&dir, &pass(PASSPHRASE), Duration::ZERO).expect("create vault");
    (tmp, dir, v)
}

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// The fixture body of `kind`, with `{case_id}` and `{person_id}` filled in.
pub fn fixture(kind: Kind, case_id: &str, person_id: &str) -> Map<String, Value> {
    let text = std::fs::read_to_string(data_dir().join(format!("records/{kind}.json"))).expect("fixture");
    let text = text.replace("{case_id}", case_id).replace("{person_id}", person_id);
    match serde_json::from_str(&text).expect("fixture is JSON") {
        Value::Object(m) => m,
        _ => panic!("fixture {kind} is not an object"),
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// Adds one record of every kind from the fixtures; returns their ids by kind.
pub fn add_every_kind(v: &mut Vault) -> Vec<(Kind, String)> {
    let person = v.add(Kind::Person, fixture(Kind::Person, "", "")).expect("person").id;
    let case = v.add(Kind::Case, fixture(Kind::Case, "", "")).expect("case").id;
    let mut ids = vec![(Kind::Person, person.clone()), (Kind::Case, case.clone())];
    for kind in Kind::ALL {
        if kind == Kind::Person || kind == Kind::Case {
            continue;
        }
        let id = v.add(kind, fixture(kind, &case, &person)).unwrap_or_else(|e| panic!("{kind}: {e}")).id;
        ids.push((kind, id));
    }
    ids
}

/// `len` pseudo-random bytes (xorshift from `seed`): evidence files that are the same on every run.
pub fn data(len: usize, seed: u32) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9 ^ seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// Every file under `dir` that holds one of `needles` (each named, as in "as UTF-16"), as
/// "<path> contains the canary as <name>": the plaintext scans of the vault's folder.
pub fn files_holding(dir: &Path, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let bytes = std::fs::read(&path).expect("read file");
            for (name, needle) in needles {
                if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
                    found.push(format!("{} contains the canary as {name}", path.display()));
                }
            }
        }
    }
    found
}

/// Runs the child function `name` (see [`child`]) on a copy of the vault at `vault`, on a tmpfs
/// of `size` mounted at a new folder `mnt` under `scratch`, in a private mount namespace (see
/// [`on_a_small_tmpfs`]), and returns what it printed.
pub fn child_on_a_small_tmpfs(scratch: &Path, vault: &Path, name: &str, size: &str) -> String {
    let mnt = scratch.join("mnt");
    std::fs::create_dir(&mnt).expect("mkdir");
    on_a_small_tmpfs(&mnt, vault, size, &child(name, &mnt.join("vault")))
}

/// Runs `inner` (this test binary again, running one child test) in a private mount namespace,
/// on a tmpfs of `size` mounted at `mnt` that holds a copy of the vault at `vault` as
/// `mnt/vault`: a full disk that nothing outside the test sees. Needs root or user namespaces.
/// Returns what the child printed, and fails the test if the child failed.
pub fn on_a_small_tmpfs(mnt: &Path, vault: &Path, size: &str, inner: &std::process::Command) -> String {
    let script = format!(
        r#"mount -t tmpfs -o size={size},mode=0700 gawahi-test "$MNT" || exit 99
cp -a "$SRC" "$MNT/vault" || exit 98
exec "$@""#
    );
    let out = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script, "sh"])
        .arg(inner.get_program())
        .args(inner.get_args())
        .envs(inner.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .env("MNT", mnt)
        .env("SRC", vault)
        .output()
        .expect("unshare");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child failed or the namespace could not be set up: {text}");
    text
}
