//! Crash safety under `kill -9` at seeded random moments (issue 12): during a JSON Lines import,
//! an evidence intake, a bundle import, a passphrase change (a re-wrap, or a key rotation) and a
//! panic wipe. After each kill: everything the CLI acknowledged is there (it exited 0, or, for an
//! intake, printed the item's line, which it does only once the item is committed), `check`
//! passes, every blob belongs to an item and no temporary file is left, the old or the new
//! passphrase opens the vault (never neither, never both), and a wipe that began is finished by
//! the next command.
//!
//! `make test` kills 100 times in all (20 per operation); `make torture` 1000
//! (`GAWAHI_TORTURE_ROUNDS` is the total, shared out over the five). Each test prints its seed,
//! which libtest shows when it fails; `GAWAHI_TORTURE_SEED=N` replays it (the moments depend on
//! the machine's speed too, so a replay hits the same neighbourhood, not the same instruction).
//! Nothing here measures speed: an uninterrupted run of each operation is timed only to choose
//! moments that fall inside it.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_e2e::{Gawahi, PASSPHRASE};
use serde_json::Value;

use super::bundle::{export_to, sender};
use super::evidence::{blob_files, is_part};
use super::wipe::vault_with_evidence;

/// How many kills each of the five operations gets: `GAWAHI_TORTURE_ROUNDS` (the total; 100
/// unless set) shared out.
fn kills_each() -> u64 {
    let total = std::env::var("GAWAHI_TORTURE_ROUNDS").ok().and_then(|v| v.parse::<u64>().ok()).unwrap_or(100);
    total.div_ceil(5).max(1)
}

/// A seeded xorshift64* generator: the moments of the kills, replayable from the seed.
struct Rng {
    state: u64,
    seed: u64,
}

impl Rng {
    /// A generator for the test `name`, seeded from `GAWAHI_TORTURE_SEED` or the clock.
    fn new(name: &str) -> Self {
        let seed = std::env::var("GAWAHI_TORTURE_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        });
        eprintln!("{name}: seed {seed} (replay with GAWAHI_TORTURE_SEED={seed})");
        // Each test draws its own sequence from the one seed.
        let salt =
            name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Self { state: (seed ^ salt) | 1, seed }
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A moment between zero and `span`.
    fn moment(&mut self, span: Duration) -> Duration {
        let nanos = u64::try_from(span.as_nanos()).unwrap_or(u64::MAX).max(1);
        Duration::from_nanos(self.next() % nanos)
    }
}

/// What a run cut off by a kill left behind.
struct Killed {
    /// The lines it printed on stdout before it died (or finished).
    lines: Vec<String>,
    /// It exited 0 before the kill: everything it did is acknowledged.
    finished: bool,
}

/// Starts `command`, sends it SIGKILL after `after` (unless it has finished by then) and
/// collects what it printed. Lines in the pipe were written before the process died.
fn run_and_kill(mut command: Command, after: Duration) -> Killed {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn gawahi");
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).collect());
    std::thread::sleep(after);
    if child.try_wait().expect("wait").is_none() {
        // SIGKILL, as `kill -9`.
        let _ = child.kill();
    }
    let status = child.wait().expect("wait");
    Killed { lines: reader.join().expect("stdout reader"), finished: status.success() }
}

/// Runs `command` to its end, asserting it succeeds, and returns how long it took: the span the
/// kills are drawn from (a little longer, so some land after the end).
fn span_of(mut command: Command) -> Duration {
    let started = Instant::now();
    let out = command.stdout(Stdio::null()).stderr(Stdio::piped()).output().expect("run gawahi");
    assert!(out.status.success(), "the uninterrupted run failed: {}", String::from_utf8_lossy(&out.stderr));
    started.elapsed() * 5 / 4
}

/// `gawahi args…` with `passphrase`.
fn with_passphrase(g: &Gawahi, args: &[&str], passphrase: &str) -> Command {
    let mut c = g.command(args);
    c.env("GAWAHI_PASSPHRASE", passphrase);
    c
}

/// What `check` counted in a vault found consistent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    records: u64,
    evidence: u64,
}

/// `check` passes without noting an orphan, and `blobs/` holds exactly one file per item, none
/// of them temporary. One run of the CLI, so that each kill costs few unlocks.
fn assert_consistent(g: &Gawahi, passphrase: &str, context: &str) -> Counts {
    let out = with_passphrase(g, &["check", &g.vault_str(), "--json"], passphrase).output().expect("check");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{context}: check printed no report ({e}): {out:?}"));
    assert!(out.status.success() && report["problems"] == serde_json::json!([]), "{context}: {report}");
    assert!(!report["notes"].to_string().contains("belong to no evidence item"), "{context}: an orphan: {report}");
    let counts = Counts {
        records: report["records"].as_u64().expect("records"),
        evidence: report["evidence"].as_u64().expect("evidence"),
    };
    let blobs = blob_files(g);
    assert!(!blobs.iter().any(|b| is_part(b)), "{context}: a temporary file is left: {blobs:?}");
    assert_eq!(blobs.len() as u64, counts.evidence, "{context}: one blob per item, no orphan");
    counts
}

/// The ids of the vault's evidence items.
fn item_ids(g: &Gawahi) -> HashSet<String> {
    let items = g.run(&["evidence", "list", &g.vault_str(), "--json"]).json();
    items.as_array().expect("items").iter().map(|i| i["id"].as_str().expect("id").to_owned()).collect()
}

/// A copy of the vault `template` in a temporary directory of its own.
fn copy_of(template: &Path) -> Gawahi {
    let g = Gawahi::new();
    let status = Command::new("cp").arg("-a").arg(template).arg(&g.vault).status().expect("cp");
    assert!(status.success());
    g
}

#[test]
fn fail_kill_9_at_random_moments_of_an_import_keeps_all_or_nothing() {
    const LINES: u64 = 120;
    let mut rng = Rng::new("import");
    let g = Gawahi::init();
    let v = g.vault_str();
    let file = |round: u64| -> PathBuf {
        let path = g.tmp.path().join(format!("round-{round}.jsonl"));
        let lines: Vec<String> = (0..LINES)
            .map(|i| format!(r#"{{"kind": "incident", "title": "round {round} line {i}", "province": "sindh"}}"#))
            .collect();
        std::fs::write(&path, lines.join("\n")).expect("write");
        path
    };
    let first = file(0).display().to_string();
    let span = span_of(with_passphrase(&g, &["import", &v, &first], PASSPHRASE));
    let mut expected = LINES;
    let mut cut_off = 0;
    for round in 1..=kills_each() {
        let context = format!("seed {}, round {round}", rng.seed);
        let path = file(round).display().to_string();
        let killed = run_and_kill(with_passphrase(&g, &["import", &v, &path], PASSPHRASE), rng.moment(span));
        let n = assert_consistent(&g, PASSPHRASE, &context).records;
        if killed.finished {
            assert_eq!(n, expected + LINES, "{context}: an acknowledged import is all there");
        } else {
            cut_off += 1;
            assert!(n == expected || n == expected + LINES, "{context}: all or nothing, found {n} after {expected}");
        }
        expected = n;
    }
    eprintln!("imports killed: {cut_off} of {}", kills_each());
    assert!(cut_off > 0, "no kill landed before an import finished");
}

#[test]
fn fail_kill_9_at_random_moments_of_an_intake_keeps_every_acknowledged_item_and_leaves_no_orphan() {
    let mut rng = Rng::new("intake");
    let g = Gawahi::init();
    let v = g.vault_str();
    let rec = g.run(&["add", &v, "incident", "--json", r#"{"title": "raid"}"#]).ok().to_owned();
    let mut files = Vec::new();
    for i in 0..4u64 {
        let path = g.tmp.path().join(format!("photo-{i}.jpg"));
        gawahi_e2e::write_random(&path, 384 << 10, i);
        files.push(path.display().to_string());
    }
    let mut args = vec!["evidence", "add", v.as_str()];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--record", rec.as_str()]);
    let span = span_of(with_passphrase(&g, &args, PASSPHRASE));
    let mut before = assert_consistent(&g, PASSPHRASE, "after the uninterrupted intake").evidence;
    let (mut cut_off, mut acknowledged_then_killed) = (0, 0);
    for round in 1..=kills_each() {
        let context = format!("seed {}, round {round}", rng.seed);
        let killed = run_and_kill(with_passphrase(&g, &args, PASSPHRASE), rng.moment(span));
        let acknowledged: Vec<String> =
            killed.lines.iter().filter_map(|l| l.split('\t').next()).map(str::to_owned).collect();
        let after = assert_consistent(&g, PASSPHRASE, &context).evidence;
        if !acknowledged.is_empty() {
            let ids = item_ids(&g);
            for id in &acknowledged {
                assert!(ids.contains(id), "{context}: the acknowledged item {id} is there");
            }
        }
        assert!(after >= before, "{context}: no item was lost");
        let added = usize::try_from(after - before).expect("small");
        assert!(added >= acknowledged.len() && added <= files.len(), "{context}: {added} added");
        if killed.finished {
            assert_eq!(added, files.len(), "{context}: a finished intake added every file");
        } else {
            cut_off += 1;
            acknowledged_then_killed += u32::from(!acknowledged.is_empty());
        }
        before = after;
    }
    g.run(&["evidence", "verify", &v]).ok();
    eprintln!(
        "intakes killed: {cut_off} of {}, {acknowledged_then_killed} after an item was acknowledged",
        kills_each()
    );
    assert!(cut_off > 0, "no kill landed before an intake finished");
}

#[test]
fn fail_kill_9_at_random_moments_of_a_bundle_import_keeps_all_or_nothing() {
    let mut rng = Rng::new("bundle import");
    let s = sender(256 << 10);
    let receiver = Gawahi::init();
    let recipient = receiver.run(&["identity", &receiver.vault_str(), "--json"]).json()["age_recipient"]
        .as_str()
        .expect("recipient")
        .to_owned();
    let bundle = s.g.tmp.path().join("case.gawahi");
    export_to(&s, &recipient, &bundle);
    let bundle = bundle.display().to_string();
    let calibration = copy_of(&receiver.vault);
    let span =
        span_of(with_passphrase(&calibration, &["bundle", "import", &calibration.vault_str(), &bundle], PASSPHRASE));
    let whole = assert_consistent(&calibration, PASSPHRASE, "after the uninterrupted import");
    let empty = assert_consistent(&receiver, PASSPHRASE, "before any import");
    let mut cut_off = 0;
    for round in 1..=kills_each() {
        let context = format!("seed {}, round {round}", rng.seed);
        let g = copy_of(&receiver.vault);
        let v = g.vault_str();
        let killed =
            run_and_kill(with_passphrase(&g, &["bundle", "import", &v, &bundle], PASSPHRASE), rng.moment(span));
        let found = assert_consistent(&g, PASSPHRASE, &context);
        if killed.finished {
            assert_eq!(found, whole, "{context}: an acknowledged import is all there");
        } else {
            cut_off += 1;
            assert!(found == empty || found == whole, "{context}: all or nothing, found {found:?}");
        }
    }
    eprintln!("bundle imports killed: {cut_off} of {}", kills_each());
    assert!(cut_off > 0, "no kill landed before a bundle import finished");
}

#[test]
fn fail_kill_9_at_random_moments_of_a_passphrase_change_leaves_old_or_new_working() {
    const RECORDS: u64 = 60;
    let mut rng = Rng::new("passphrase change");
    let g = Gawahi::init();
    let v = g.vault_str();
    let lines: Vec<String> =
        (0..RECORDS).map(|i| format!(r#"{{"kind": "incident", "title": "kept {i}", "province": "punjab"}}"#)).collect();
    let file = g.tmp.path().join("records.jsonl");
    std::fs::write(&file, lines.join("\n")).expect("write");
    g.run(&["import", &v, &file.display().to_string()]).ok();
    let passwd = |current: &str, next: &str, rotate: bool| {
        let args: &[&str] = if rotate { &["passwd", &v, "--rotate"] } else { &["passwd", &v] };
        let mut c = with_passphrase(&g, args, current);
        c.env("GAWAHI_NEW_PASSPHRASE", next);
        c
    };
    // A rotation copies the database; a re-wrap only writes the header: each its own span.
    let mut current = "the first new passphrase".to_owned();
    let spans = [span_of(passwd(PASSPHRASE, &current, false)), {
        let next = "the second new passphrase".to_owned();
        let span = span_of(passwd(&current, &next, true));
        current = next;
        span
    }];
    let (mut cut_off, mut switched) = (0, 0);
    for round in 1..=kills_each() {
        let context = format!("seed {}, round {round}", rng.seed);
        let rotate = round % 2 == 0;
        let next = format!("torture passphrase number {round}");
        let killed = run_and_kill(passwd(&current, &next, rotate), rng.moment(spans[usize::from(rotate)]));
        let check = |p: &str| with_passphrase(&g, &["check", &v, "--json"], p).output().expect("check");
        let (old, new) = (check(&current), check(&next));
        assert!(
            old.status.success() != new.status.success(),
            "{context}: exactly one passphrase opens the vault and checks clean: old {old:?}, new {new:?}"
        );
        let report: Value = serde_json::from_slice(if new.status.success() { &new.stdout } else { &old.stdout })
            .expect("a check report");
        let new = new.status.success();
        if killed.finished {
            assert!(new, "{context}: an acknowledged change holds");
        } else {
            cut_off += 1;
        }
        if new {
            current = next;
            switched += 1;
        }
        assert_eq!(report["records"], RECORDS, "{context}: every record is there");
        assert!(!Path::new(&v).join("vault.db.rotating").exists(), "{context}: no rotation leftover");
    }
    eprintln!("passphrase changes killed: {cut_off} of {}, {switched} took effect", kills_each());
    assert!(cut_off > 0, "no kill landed before a passphrase change finished");
}

#[test]
fn fail_kill_9_at_random_moments_of_a_wipe_is_finished_by_the_next_command() {
    let mut rng = Rng::new("wipe");
    let template = vault_with_evidence(40);
    let calibration = copy_of(&template.vault);
    let span = span_of(calibration.command(&["wipe", &calibration.vault_str(), "--yes"]));
    let (mut before_it_began, mut during_or_after) = (0, 0);
    for round in 1..=kills_each() {
        let context = format!("seed {}, round {round}", rng.seed);
        let g = copy_of(&template.vault);
        let v = g.vault_str();
        let killed = run_and_kill(g.command(&["wipe", &v, "--yes"]), rng.moment(span));
        let began = g.vault.join("vault.wiping").exists() || !g.vault.exists();
        assert!(began || !killed.finished, "{context}: an acknowledged wipe left the vault");
        if began {
            let check = g.run(&["check", &v]);
            assert_eq!(check.code, 4, "{context}: the next command finishes the wipe: {check:?}");
            assert!(!g.vault.exists(), "{context}: the folder is gone after the next command");
            let again = g.run(&["get", &v, "x"]);
            assert_eq!(again.code, 4, "{context}: the passphrase opens nothing");
            during_or_after += 1;
        } else {
            // Killed before it began: the vault is whole.
            assert_consistent(&g, PASSPHRASE, &context);
            before_it_began += 1;
        }
    }
    eprintln!("wipes killed before they began: {before_it_began}, during or after: {during_or_after}");
    assert!(during_or_after > 0, "no kill landed in a wipe under way");
}
