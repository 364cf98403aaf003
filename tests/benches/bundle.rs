//! `make bench` (evidence and bundles): the release `gawahi` on one 1 GiB file, in one run, beside
//! the stock tools doing the same job:
//!
//! - intake (`evidence add`) against `dd if=F of=G bs=4M conv=fsync`, the disk's limit (goal
//!   ≤ 1.15×), and against the careful manual way, `sha256sum F && age -r R -o G F` (goal: at
//!   least 2× faster, a ratio ≤ 0.5);
//! - export (`bundle export`) against `tar -c F | age -r R > out` (goal ≤ 1.0×);
//! - verify (`bundle verify`) against `age -d -i K out | tar -x` (goal ≤ 1.1×);
//! - the peak resident memory of each of ours (goal ≤ 64 MiB).
//!
//! Our times are whole commands, the vault's unlocking included (Argon2id at its floor). Peak
//! memory is read from `/proc/PID/status` (VmHWM) after resetting it (`clear_refs`, root) once the
//! command has started its work: unlocking costs Argon2id's 64 MiB of working memory, which is
//! freed before any file is read; the whole-process peak is printed beside it. F is made first
//! and stays in the page cache for every contender alike; every write goes to the same disk.
//! `GAWAHI_BENCH_MIB` sets another size (a quick sanity run in a debug build).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "benchmark passphrase, not a secret";

fn main() {
    let mib: u64 = std::env::var("GAWAHI_BENCH_MIB").ok().and_then(|s| s.parse().ok()).unwrap_or(1024);
    let gawahi = gawahi_e2e::built_binary("gawahi");
    let base = std::env::var_os("GAWAHI_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let tmp = tempfile::tempdir_in(base).expect("temporary directory");
    let dir = tmp.path();
    let f = dir.join("F.mp4");
    eprintln!("writing a {mib} MiB file…");
    write_random(&f, mib << 20);
    let (key, recipient) = age_keygen(dir);
    let vault = dir.join("vault");
    let run = |args: &[&str]| {
        let out = gawahi_cmd(&gawahi, args).output().expect("gawahi");
        assert!(out.status.success(), "gawahi {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    let v = vault.display().to_string();
    run(&["init", &v, "--kdf-target-ms", "1"]);
    let record = run(&["add", &v, "incident", "--json", r#"{"title": "benchmark"}"#]);

    let dd = shell(dir, &format!("dd if='{}' of=G bs=4M conv=fsync status=none", f.display()));
    std::fs::remove_file(dir.join("G")).expect("rm G");
    let intake = ours(&gawahi, dir, &["evidence", "add", &v, &f.display().to_string(), "--record", &record], || {
        any_part(&vault.join("blobs"))
    });
    let manual =
        shell(dir, &format!("sha256sum '{}' >/dev/null && age -r {recipient} -o G.age '{}'", f.display(), f.display()));
    std::fs::remove_file(dir.join("G.age")).expect("rm G.age");

    let out = dir.join("case.gawahi");
    let export = ours(
        &gawahi,
        dir,
        &["bundle", "export", &v, "--record", &record, "--to", &recipient, "--out", &out.display().to_string()],
        || any_part(dir),
    );
    let tar_age = shell(dir, &format!("tar -cf - F.mp4 | age -r {recipient} > out.age"));
    let verify = ours(
        &gawahi,
        dir,
        &["bundle", "verify", &out.display().to_string(), "--identity", &key.display().to_string()],
        || true,
    );
    let x = dir.join("x");
    std::fs::create_dir(&x).expect("mkdir");
    let age_tar = shell(&x, &format!("age -d -i '{}' ../out.age | tar -x", key.display()));

    println!("evidence and bundles, {mib} MiB, one run (ratio = ours / theirs; lower is better)");
    line("intake vs dd conv=fsync", &intake, dd, "≤ 1.15", 1.15);
    line("intake vs sha256sum && age -r", &intake, manual, "≤ 0.50 (2× faster)", 0.5);
    line("export vs tar -c | age -r", &export, tar_age, "≤ 1.00", 1.0);
    line("verify vs age -d | tar -x", &verify, age_tar, "≤ 1.10", 1.1);
    for (what, m) in [("intake", &intake), ("export", &export), ("verify", &verify)] {
        let ok = if m.streaming_peak_kib <= 64 * 1024 { "met" } else { "MISSED" };
        println!(
            "  peak RSS {what:<7} {:>7.1} MiB while streaming (goal ≤ 64 MiB: {ok}); {:>7.1} MiB whole process, unlocking included",
            m.streaming_peak_kib as f64 / 1024.0,
            m.whole_peak_kib as f64 / 1024.0
        );
    }
}

fn line(what: &str, ours: &Measured, theirs: Duration, goal: &str, limit: f64) {
    let ratio = ours.wall.as_secs_f64() / theirs.as_secs_f64();
    let verdict = if ratio <= limit { "met" } else { "MISSED" };
    println!(
        "  {what:<34} ours {:>7.2} s, theirs {:>7.2} s, ratio {ratio:>5.2} (goal {goal}: {verdict})",
        ours.wall.as_secs_f64(),
        theirs.as_secs_f64()
    );
}

struct Measured {
    wall: Duration,
    streaming_peak_kib: u64,
    whole_peak_kib: u64,
}

fn gawahi_cmd(bin: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin);
    c.args(args).env("GAWAHI_PASSPHRASE", PASSPHRASE).env("GAWAHI_NEW_PASSPHRASE", PASSPHRASE).stdin(Stdio::null());
    c
}

/// Runs our command, resets its peak memory once `started` says its work has begun, and watches
/// the peak until it exits.
fn ours(bin: &Path, dir: &Path, args: &[&str], started: impl Fn() -> bool) -> Measured {
    let began = Instant::now();
    let mut child: Child =
        gawahi_cmd(bin, args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id();
    let mut whole = 0u64;
    while !started() && child.try_wait().expect("wait").is_none() {
        whole = whole.max(hwm(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(1));
    }
    whole = whole.max(hwm(pid).unwrap_or(0));
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let mut streaming = 0u64;
    while let Some(kib) = hwm(pid) {
        streaming = streaming.max(kib);
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("wait");
    let wall = began.elapsed();
    assert!(out.status.success(), "gawahi {args:?}: {out:?}");
    Measured { wall, streaming_peak_kib: streaming, whole_peak_kib: whole.max(streaming) }
}

/// VmHWM of a running process, in KiB (`None` once it has exited).
fn hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn any_part(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|d| d.filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().ends_with(".part")))
}

fn shell(dir: &Path, script: &str) -> Duration {
    let began = Instant::now();
    let out = Command::new("sh").args(["-c", script]).current_dir(dir).output().expect("sh");
    assert!(out.status.success(), "{script}: {out:?}");
    began.elapsed()
}

fn age_keygen(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("key.txt");
    let out = Command::new("age-keygen").arg("-o").arg(&key).output().expect("age-keygen");
    assert!(out.status.success());
    let text = std::fs::read_to_string(&key).expect("key");
    (key, text.lines().find_map(|l| l.strip_prefix("# public key: ")).expect("recipient").to_owned())
}

fn write_random(path: &Path, len: u64) {
    use std::io::Write as _;
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut left = len;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        for chunk in buf.chunks_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
        }
        let n = left.min(buf.len() as u64) as usize;
        f.write_all(&buf[..n]).expect("write");
        left -= n as u64;
    }
    f.flush().expect("flush");
}
