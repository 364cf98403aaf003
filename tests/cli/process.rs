use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_e2e::{Gawahi, built_binary};

/// The passphrase in the running CLI's environment, to look for where it must not be.
const CANARY: &str = "canary passphrase 5b1f0e7d";

fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status.lines().find_map(|l| l.strip_prefix("Uid:")).and_then(|u| u.split_whitespace().next()) == Some("0")
}

/// `nobody`'s numeric user and group ids.
fn nobody() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id").args([flag, "nobody"]).output().expect("run id");
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or_else(|_| panic!("no user `nobody`: {out:?}"))
    };
    (id("-u"), id("-g"))
}

/// `program args…` as `nobody`, with no supplementary groups.
fn as_nobody(program: &Path, args: &[&str]) -> Command {
    let (uid, gid) = nobody();
    let mut c = Command::new("setpriv");
    c.args([&format!("--reuid={uid}"), &format!("--regid={gid}"), "--clear-groups", "--"]).arg(program).args(args);
    c
}

#[test]
fn fail_a_running_gawahi_hides_its_environment_from_the_same_user_and_dumps_no_core() {
    assert!(
        is_root(),
        "this test needs root: it runs gawahi and a reader as the unprivileged user `nobody` (setpriv); \
         run the tests as root, as CI does"
    );
    let g = Gawahi::new();
    let (uid, gid) = nobody();
    // nobody gets the temporary directory and a copy of the binary (the target directory may be
    // out of its reach); the vault is created inside.
    std::os::unix::fs::chown(g.tmp.path(), Some(uid), Some(gid)).expect("chown the temporary directory");
    let bin = g.tmp.path().join("gawahi");
    std::fs::copy(built_binary("gawahi"), &bin).expect("copy the binary");
    std::os::unix::fs::chown(&bin, Some(uid), Some(gid)).expect("chown the binary");

    // Calibrating for 4 s keeps the process alive long enough to look at it.
    let mut child = as_nobody(&bin, &["init", &g.vault_str(), "--kdf-target-ms", "4000"])
        .env_clear()
        .env("GAWAHI_NEW_PASSPHRASE", CANARY)
        .env("GAWAHI_PASSPHRASE", CANARY)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start setpriv (util-linux)");
    let pid = child.id();
    // The vault directory appears once `main` has run its first lines and calibration starts.
    let started = Instant::now();
    while !g.vault.exists() {
        assert!(child.try_wait().expect("wait").is_none(), "gawahi init ended before calibrating");
        assert!(started.elapsed() < Duration::from_secs(30), "gawahi init never created the vault directory");
        std::thread::sleep(Duration::from_millis(10));
    }

    let mut problems = Vec::new();
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).expect("read the limits");
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).expect("a core size line");
    let fields: Vec<&str> = core.split_whitespace().collect();
    if fields.get(4..6) != Some(&["0", "0"][..]) {
        problems.push(format!("core dumps are possible: {core:?}"));
    }
    let reader = as_nobody(Path::new("/bin/cat"), &[&format!("/proc/{pid}/environ")]).output().expect("run cat");
    let stderr = String::from_utf8_lossy(&reader.stderr);
    if reader.status.success() || !stderr.contains("Permission denied") {
        problems.push(format!(
            "another process of the same user read /proc/{pid}/environ (success: {}, passphrase seen: {}, stderr: {stderr:?})",
            reader.status.success(),
            String::from_utf8_lossy(&reader.stdout).contains(CANARY)
        ));
    }
    if String::from_utf8_lossy(&reader.stdout).contains(CANARY) {
        problems.push("the passphrase was read from the environment".to_owned());
    }
    // The refusal must come from the running process, not from one that has gone.
    let still_running = child.try_wait().expect("wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "gawahi init ended before the checks were done; nothing was tested");
    assert!(problems.is_empty(), "{problems:#?}");
}
