//! `make bench`: the vault's figures, encrypted (SQLCipher) and on a plain SQLite database of the
//! same schema and code paths, side by side.
//!
//! A small harness rather than criterion: the figures that matter are percentiles of single
//! operations at a given vault size and a ratio between two builds, which it prints as one table
//! with the goals beside them. `GAWAHI_BENCH_N` sets the vault size (default 100,000 incidents).
//!
//! The two databases live in two worker processes (this same program, started with
//! `GAWAHI_BENCH_ROLE`), and every figure is taken from them in turns ([`Pair`]).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use gawahi_core::search::Filters;
use gawahi_core::synth::{DASHBOARD_STATS, QUERIES, Synth, faceted_filters};
use gawahi_core::{Kind, SecretString, Vault};

const BATCH: usize = 20_000;

/// How many operations one turn of a worker runs before the other worker's turn (see [`Pair`]).
const TURN: usize = 25;

struct Figures {
    /// Batches through `Vault::add_batch` (the first, third and fifth of 100k incidents).
    insert_per_s: f64,
    /// Batches as files of JSON Lines through `Vault::import_jsonl` (the second and fourth);
    /// `None` when the vault is one batch.
    import_per_s: Option<f64>,
    get_p50: Duration,
    get_p95: Duration,
    list_p50: Duration,
    list_p95: Duration,
    search_p50: Duration,
    search_p95: Duration,
    faceted_p50: Duration,
    faceted_p95: Duration,
    /// A filtered list's first page as the window asks for it: the rows, the kind's total and
    /// the number of matches (`Vault::list_page`).
    counted_p50: Duration,
    counted_p95: Duration,
    stats_p50: Duration,
    stats_p95: Duration,
    /// The dashboard's pass when its pages have left SQLite's cache (as when the dashboard opens
    /// after a while in the lists): the median of [`COLD_PASSES`], each after
    /// [`COLD_EVICTING_PAGES`] deep faceted list pages, taken one at a time from each side in
    /// turns.
    stats_cold: Duration,
}

/// How many cold dashboard passes each side times (see [`Figures::stats_cold`]).
const COLD_PASSES: usize = 11;
/// How many deep faceted list pages (untimed) push the dashboard's pages out of SQLite's cache
/// before a cold pass.
const COLD_EVICTING_PAGES: usize = 200;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// One side of the comparison, run in a process of its own (`GAWAHI_BENCH_ROLE`): it makes its
/// vault, then runs the operations the bench asks for on its standard input, a line such as
/// `faceted 25`, and answers each line with the nanoseconds every operation took.
///
/// Two processes because SQLCipher's memory security is process-global: once the encrypted vault
/// turns it on, every SQLite allocation of the process is wiped when freed, the plain
/// database's too, which would then no longer be plain SQLite.
struct Worker {
    vault: Vault,
    n: usize,
    synth: Synth,
    ids: Vec<String>,
    /// Deterministic "random" picks, so that both sides read the same records.
    state: u64,
    /// How many of each operation have run, for the operations that vary with it.
    lists: usize,
    searches: usize,
    faceted: usize,
}

impl Worker {
    fn pick(&mut self, len: usize) -> usize {
        self.state = self.state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.state >> 33) as usize % len
    }

    fn random_id(&mut self) -> String {
        let i = self.pick(self.ids.len());
        self.ids[i].clone()
    }

    /// Runs `count` operations of `op`; each one's time, or for `insert` the one batch's.
    fn run(&mut self, op: &str, count: usize) -> Vec<Duration> {
        let timed = |f: &mut dyn FnMut()| {
            let started = Instant::now();
            f();
            started.elapsed()
        };
        match op {
            // One batch of incidents; an empty answer once all `n` are in.
            "insert" => {
                if self.ids.len() >= self.n {
                    return Vec::new();
                }
                let batch: Vec<_> =
                    (0..BATCH.min(self.n - self.ids.len())).map(|_| (Kind::Incident, self.synth.incident())).collect();
                let started = Instant::now();
                let added = self.vault.add_batch(batch).expect("insert batch");
                let took = started.elapsed();
                self.ids.extend(added);
                vec![took]
            }
            // One batch as a user's bulk insert brings it: a file of JSON Lines, as an export
            // writes it (each record with its id), made before the clock starts.
            "import" => {
                if self.ids.len() >= self.n {
                    return Vec::new();
                }
                let mut file = Vec::new();
                let mut ids = Vec::new();
                for _ in 0..BATCH.min(self.n - self.ids.len()) {
                    let mut line = self.synth.incident();
                    let id = uuid::Uuid::now_v7().hyphenated().to_string();
                    line.insert("kind".into(), "incident".into());
                    line.insert("id".into(), id.clone().into());
                    serde_json::to_writer(&mut file, &line).expect("a line");
                    file.push(b'\n');
                    ids.push(id);
                }
                let started = Instant::now();
                let summary = self.vault.import_jsonl(&file[..]).expect("import batch");
                let took = started.elapsed();
                assert_eq!(summary.records, ids.len() as u64);
                self.ids.extend(ids);
                vec![took]
            }
            // Cases (a tenth of the incidents) and their hearings (five per case), for search,
            // facets and statistics over more than one kind. Not timed.
            "cases" => {
                self.synth.add_cases_with_hearings(&mut self.vault, self.n / 10).expect("insert cases and hearings");
                Vec::new()
            }
            "get" => (0..count)
                .map(|_| {
                    let id = self.random_id();
                    timed(&mut || {
                        std::hint::black_box(self.vault.get(&id).expect("get"));
                    })
                })
                .collect(),
            "list" => (0..count)
                .map(|_| {
                    // Every tenth read is the first page; the rest start at a random record, as a
                    // user paging deep into the list does.
                    let i = self.lists;
                    self.lists += 1;
                    let after = (!i.is_multiple_of(10)).then(|| self.random_id());
                    timed(&mut || {
                        std::hint::black_box(self.vault.list(Kind::Incident, after.as_deref(), 50).expect("list"));
                    })
                })
                .collect(),
            "search" => (0..count)
                .map(|_| {
                    let q = QUERIES[self.searches % QUERIES.len()];
                    self.searches += 1;
                    timed(&mut || {
                        std::hint::black_box(self.vault.search(q, &Filters::default(), 10).expect("search"));
                    })
                })
                .collect(),
            "faceted" => (0..count)
                .map(|_| {
                    // A province, sometimes with a date range, a page deep into the list now and then:
                    // the window's filtered list, which reads the records' list rows.
                    let i = self.faceted;
                    self.faceted += 1;
                    let filters = faceted_filters(i);
                    let after = (i % 10 == 5).then(|| self.random_id());
                    timed(&mut || {
                        let page = self.vault.list_rows_matching(Kind::Incident, "", &filters, after.as_deref(), 50);
                        std::hint::black_box(page.expect("faceted list"));
                    })
                })
                .collect(),
            // The window's first page of a filtered list: its rows, and how many match.
            "counted" => (0..count)
                .map(|_| {
                    let filters = faceted_filters(self.faceted);
                    self.faceted += 1;
                    timed(&mut || {
                        let page = self.vault.list_page(Kind::Incident, "", &filters, None, 50);
                        std::hint::black_box(page.expect("first page with its count"));
                    })
                })
                .collect(),
            // A dashboard pass after deep list pages have pushed its pages out of SQLite's cache.
            // The pages read are the records themselves (the command line's filtered list), which
            // fill the cache faster than list rows would, as opening records does in the window.
            "cold" => (0..count)
                .map(|_| {
                    for _ in 0..COLD_EVICTING_PAGES {
                        let filters = faceted_filters(self.faceted);
                        self.faceted += 1;
                        let after = self.random_id();
                        let page = self.vault.list_matching(Kind::Incident, "", &filters, Some(&after), 50);
                        std::hint::black_box(page.expect("faceted list"));
                    }
                    timed(&mut || {
                        for by in DASHBOARD_STATS {
                            std::hint::black_box(self.vault.stats(by, &Filters::default()).expect("stats"));
                        }
                    })
                })
                .collect(),
            // The dashboard's statistics: incidents by province, type, perpetrator and month; cases
            // by section, court and status.
            "dashboard" => (0..count)
                .map(|_| {
                    timed(&mut || {
                        for by in DASHBOARD_STATS {
                            std::hint::black_box(self.vault.stats(by, &Filters::default()).expect("stats"));
                        }
                    })
                })
                .collect(),
            other => panic!("the bench asked its worker for {other:?}"),
        }
    }
}

/// The worker process's side: makes its vault in `GAWAHI_BENCH_DIR` and answers the bench. The
/// encrypted one also times its creation and an unlock of it while empty, and tells whether
/// memory security is on; it locks the vault when told `quit`.
fn worker_main(role: &str, n: usize) {
    let dir = std::path::PathBuf::from(std::env::var_os("GAWAHI_BENCH_DIR").expect("GAWAHI_BENCH_DIR"));
    let passphrase = SecretString::from("benchmark passphrase, not a secret");
    let (vault, ready) = if role == "plain" {
        (Vault::create_unencrypted_baseline(&dir).expect("baseline"), String::from("ready"))
    } else {
        let started = Instant::now();
        let enc = Vault::create(&dir, &passphrase, gawahi_core::kdf::DEFAULT_TARGET).expect("create");
        let create = started.elapsed();
        enc.lock();
        let unlock_empty = unlock_time(&dir, &passphrase);
        let enc = Vault::unlock(&dir, &passphrase).expect("unlock");
        let security = enc.memory_security().expect("cipher_memory_security");
        let sha256 = enc.page_mac().expect("page MAC") == gawahi_core::db::PageMac::Sha256;
        (
            enc,
            format!(
                "ready {} {} {} {}",
                create.as_nanos(),
                unlock_empty.as_nanos(),
                u8::from(security),
                if sha256 { 256 } else { 512 }
            ),
        )
    };
    let mut worker = Worker {
        vault,
        n,
        synth: Synth::new(7),
        ids: Vec::with_capacity(n),
        state: 0x2545_F491_u64,
        lists: 0,
        searches: 0,
        faceted: 0,
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "{ready}").expect("answer");
    out.flush().expect("answer");
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("read the bench's request");
        let mut words = line.split_whitespace();
        let op = words.next().unwrap_or("quit");
        if op == "quit" {
            break;
        }
        let count = words.next().and_then(|w| w.parse().ok()).unwrap_or(1);
        let times: Vec<String> = worker.run(op, count).iter().map(|d| d.as_nanos().to_string()).collect();
        writeln!(out, "{}", times.join(" ")).expect("answer");
        out.flush().expect("answer");
    }
    worker.vault.lock();
}

/// A worker process seen from the bench.
struct Side {
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
}

impl Side {
    fn spawn(role: &str, dir: &Path, n: usize) -> (Self, String) {
        let mut child = Command::new(std::env::current_exe().expect("the bench's own path"))
            .env("GAWAHI_BENCH_ROLE", role)
            .env("GAWAHI_BENCH_DIR", dir)
            .env("GAWAHI_BENCH_N", n.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a worker");
        let to = child.stdin.take().expect("stdin");
        let mut from = BufReader::new(child.stdout.take().expect("stdout"));
        let mut ready = String::new();
        from.read_line(&mut ready).expect("the worker's first line");
        assert!(ready.starts_with("ready"), "the {role} worker did not start");
        (Side { child, to, from }, ready)
    }

    fn ask(&mut self, op: &str, count: usize) -> Vec<Duration> {
        writeln!(self.to, "{op} {count}").expect("ask the worker");
        self.to.flush().expect("ask the worker");
        let mut line = String::new();
        self.from.read_line(&mut line).expect("the worker's answer");
        line.split_whitespace().map(|w| Duration::from_nanos(w.parse().expect("nanoseconds"))).collect()
    }

    fn quit(mut self) {
        writeln!(self.to, "quit").expect("tell the worker to stop");
        drop(self.to);
        assert!(self.child.wait().expect("wait for the worker").success(), "a worker failed");
    }
}

/// The encrypted and the plain worker, asked in turns: every figure is taken a few operations at
/// a time from one and then the other (which goes first alternates), so that whatever else the
/// machine is doing falls on both alike. Run one after the other, the same build's ratios moved
/// between 0.7× and 1.8× from one run to the next on this machine.
struct Pair {
    enc: Side,
    plain: Side,
    turn: usize,
}

impl Pair {
    /// `total` operations of `op` on each side, in turns of [`TURN`]: (encrypted, plain) times.
    fn measure(&mut self, op: &str, total: usize) -> (Vec<Duration>, Vec<Duration>) {
        self.measure_in_turns_of(op, total, TURN)
    }

    /// `total` operations of `op` on each side, in turns of `turn`.
    fn measure_in_turns_of(&mut self, op: &str, total: usize, turn: usize) -> (Vec<Duration>, Vec<Duration>) {
        let (mut e, mut p) = (Vec::with_capacity(total), Vec::with_capacity(total));
        let mut done = 0;
        while done < total {
            let count = turn.min(total - done);
            self.turn += 1;
            if self.turn.is_multiple_of(2) {
                e.extend(self.enc.ask(op, count));
                p.extend(self.plain.ask(op, count));
            } else {
                p.extend(self.plain.ask(op, count));
                e.extend(self.enc.ask(op, count));
            }
            done += count;
        }
        (e, p)
    }

    /// Both sides' figures.
    fn figures(&mut self, n: usize) -> (Figures, Figures) {
        // The inserts, a batch from each in turn, which one first alternating; every other batch
        // is an import. Each way's rate is its records over its time.
        let (mut e_insert, mut p_insert, mut e_import, mut p_import) =
            (Duration::ZERO, Duration::ZERO, Duration::ZERO, Duration::ZERO);
        let (mut inserted, mut imported) = (0, 0);
        for batch in 0_usize.. {
            let op = if batch.is_multiple_of(2) { "insert" } else { "import" };
            // Which side goes first alternates every two batches, so that each way has each order.
            let (e, p) = if (batch / 2).is_multiple_of(2) {
                (self.enc.ask(op, 1), self.plain.ask(op, 1))
            } else {
                let p = self.plain.ask(op, 1);
                (self.enc.ask(op, 1), p)
            };
            if e.is_empty() && p.is_empty() {
                break;
            }
            let records = BATCH.min(n - batch * BATCH);
            if op == "insert" {
                (e_insert, p_insert, inserted) = (e_insert + e[0], p_insert + p[0], inserted + records);
            } else {
                (e_import, p_import, imported) = (e_import + e[0], p_import + p[0], imported + records);
            }
        }
        self.enc.ask("cases", 1);
        self.plain.ask("cases", 1);
        let (mut e_get, mut p_get) = self.measure("get", 5_000);
        let (mut e_list, mut p_list) = self.measure("list", 1_000);
        let (mut e_search, mut p_search) = self.measure("search", 1_000);
        let (mut e_faceted, mut p_faceted) = self.measure("faceted", 1_000);
        let (mut e_counted, mut p_counted) = self.measure("counted", 1_000);
        // Cold passes one at a time from each side in turns (a single first pass, always the
        // encrypted side's first, was as much the order as the pages: 0.86× to 2.6× in runs of
        // one build), then warm passes.
        let (mut e_cold, mut p_cold) = self.measure_in_turns_of("cold", COLD_PASSES, 1);
        let (mut e_stats, mut p_stats) = self.measure("dashboard", 200);
        let build = |insert: Duration,
                     import: Duration,
                     get: &mut [Duration],
                     list: &mut [Duration],
                     search: &mut [Duration],
                     faceted: &mut [Duration],
                     counted: &mut [Duration],
                     stats: &mut [Duration],
                     cold: &mut [Duration]| Figures {
            insert_per_s: inserted as f64 / insert.as_secs_f64(),
            import_per_s: (imported > 0).then(|| imported as f64 / import.as_secs_f64()),
            get_p50: percentile(get, 0.5),
            get_p95: percentile(get, 0.95),
            list_p50: percentile(list, 0.5),
            list_p95: percentile(list, 0.95),
            search_p50: percentile(search, 0.5),
            search_p95: percentile(search, 0.95),
            faceted_p50: percentile(faceted, 0.5),
            faceted_p95: percentile(faceted, 0.95),
            counted_p50: percentile(counted, 0.5),
            counted_p95: percentile(counted, 0.95),
            stats_p50: percentile(stats, 0.5),
            stats_p95: percentile(stats, 0.95),
            stats_cold: percentile(cold, 0.5),
        };
        (
            build(
                e_insert,
                e_import,
                &mut e_get,
                &mut e_list,
                &mut e_search,
                &mut e_faceted,
                &mut e_counted,
                &mut e_stats,
                &mut e_cold,
            ),
            build(
                p_insert,
                p_import,
                &mut p_get,
                &mut p_list,
                &mut p_search,
                &mut p_faceted,
                &mut p_counted,
                &mut p_stats,
                &mut p_cold,
            ),
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn unlock_time(dir: &Path, passphrase: &SecretString) -> Duration {
    let mut samples: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let v = Vault::unlock(dir, passphrase).expect("unlock");
            let t = started.elapsed();
            v.lock();
            t
        })
        .collect();
    percentile(&mut samples, 0.5)
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter we do not support.
    let n: usize = std::env::var("GAWAHI_BENCH_N").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    if let Ok(role) = std::env::var("GAWAHI_BENCH_ROLE") {
        worker_main(&role, n);
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let passphrase = SecretString::from("benchmark passphrase, not a secret");

    eprintln!("inserting {n} synthetic incidents (English and Urdu) into each database, in turns…");
    let enc_dir = tmp.path().join("encrypted");
    let (enc, ready) = Side::spawn("encrypted", &enc_dir, n);
    let (plain, _) = Side::spawn("plain", &tmp.path().join("plain"), n);
    let ready: Vec<u128> = ready.split_whitespace().skip(1).map(|w| w.parse().expect("ready line")).collect();
    let (create, unlock_default, memory_security, page_mac) =
        (Duration::from_nanos(ready[0] as u64), Duration::from_nanos(ready[1] as u64), ready[2] == 1, ready[3]);
    let mut pair = Pair { enc, plain, turn: 0 };
    let (e, p) = pair.figures(n);
    pair.enc.quit();
    pair.plain.quit();
    let kdf = gawahi_core::header::KeyHeader::read(&enc_dir).expect("header").kdf;
    let unlock_full = unlock_time(&enc_dir, &passphrase);

    let size = |d: &Path| std::fs::metadata(d.join("vault.db")).map_or(0, |m| m.len()) as f64 / 1_048_576.0;
    println!();
    println!(
        "Gawahi vault benchmark: {n} incidents, {} cases, {} hearings, release build, this machine",
        n / 10,
        n / 10 * 5
    );
    println!(
        "KDF: Argon2id {} MiB × {} passes (calibrated for 1 s); create {}; unlock {} (empty), {} (full)",
        kdf.memory_kib / 1024,
        kdf.iterations,
        ms(create),
        ms(unlock_default),
        ms(unlock_full)
    );
    println!(
        "memory protection: PRAGMA cipher_memory_security = {} ({})",
        u8::from(memory_security),
        if memory_security {
            "what SQLite frees is wiped; nothing is locked out of swap (OMIT_MEMLOCK)"
        } else {
            "what SQLite frees is not wiped"
        },
    );
    println!("page MAC: HMAC-SHA{page_mac} over each 16 KiB page (AES-256-CBC)");
    println!();
    println!("{:<34} {:>14} {:>14} {:>8}  goal", "figure", "SQLCipher", "plain SQLite", "ratio");
    let row = |name: &str, enc: f64, plain: f64, unit: &str, goal: &str, higher_is_better: bool| {
        let ratio = if higher_is_better { plain / enc } else { enc / plain };
        println!("{name:<34} {enc:>11.3} {unit:<2} {plain:>11.3} {unit:<2} {ratio:>7.2}×  {goal}");
    };
    let insert_goal = |e: f64, p: f64| {
        format!(
            "≥ 20 k/s {}; ≤ 1.15× {}",
            if e >= 20_000.0 { "met" } else { "MISSED" },
            if p / e <= 1.15 { "met" } else { "MISSED" }
        )
    };
    let goal = insert_goal(e.insert_per_s, p.insert_per_s);
    row("insert (batches of 20k)", e.insert_per_s / 1000.0, p.insert_per_s / 1000.0, "k/s", &goal, true);
    if let (Some(e), Some(p)) = (e.import_per_s, p.import_per_s) {
        row("import (JSON Lines, 20k a file)", e / 1000.0, p / 1000.0, "k/s", &insert_goal(e, p), true);
    }
    let d = |x: Duration| x.as_secs_f64() * 1000.0;
    row("get by id p50", d(e.get_p50), d(p.get_p50), "ms", "", false);
    row("get by id p95", d(e.get_p95), d(p.get_p95), "ms", "", false);
    row("list page of 50 p50", d(e.list_p50), d(p.list_p50), "ms", "", false);
    row("list page of 50 p95", d(e.list_p95), d(p.list_p95), "ms", "≤ 5 ms", false);
    // Each goal is judged on its own: the time, and the encrypted/plain ratio.
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let goal = |x: Duration, limit_ms: f64, plain: Duration| {
        let ratio = x.as_secs_f64() / plain.as_secs_f64();
        format!("≤ {limit_ms} ms {}; ≤ 1.15× {}", verdict(d(x) <= limit_ms), verdict(ratio <= 1.15))
    };
    row("search p50", d(e.search_p50), d(p.search_p50), "ms", "", false);
    row("search p95", d(e.search_p95), d(p.search_p95), "ms", &goal(e.search_p95, 5.0, p.search_p95), false);
    row("faceted list page of 50 p50", d(e.faceted_p50), d(p.faceted_p50), "ms", "", false);
    let faceted_goal = goal(e.faceted_p95, 5.0, p.faceted_p95);
    row("faceted list page of 50 p95", d(e.faceted_p95), d(p.faceted_p95), "ms", &faceted_goal, false);
    row("  first page with its count p50", d(e.counted_p50), d(p.counted_p50), "ms", "", false);
    let counted_goal = goal(e.counted_p95, 5.0, p.counted_p95);
    row("  first page with its count p95", d(e.counted_p95), d(p.counted_p95), "ms", &counted_goal, false);
    row("dashboard statistics (7) p50", d(e.stats_p50), d(p.stats_p50), "ms", "", false);
    let stats_goal = goal(e.stats_p95, 50.0, p.stats_p95);
    row("dashboard statistics (7) p95", d(e.stats_p95), d(p.stats_p95), "ms", &stats_goal, false);
    let cold_goal = goal(e.stats_cold, 50.0, p.stats_cold);
    row("dashboard statistics (7) cold p50", d(e.stats_cold), d(p.stats_cold), "ms", &cold_goal, false);
    println!("{:<34} {:>11.1} MiB {:>11.1} MiB", "database size", size(&enc_dir), size(&tmp.path().join("plain")));
    println!("(ratio: how many times the encrypted figure costs the plain one; goal ≤ 1.15×)");

    // Unlocking with the real, a duress and a wrong passphrase: the key header must not tell
    // them apart by time.
    let duress = duress_unlock_times(&tmp.path().join("duress"));
    println!();
    println!("unlock of a vault with a decoy duress passphrase set (medians of {} interleaved rounds):", duress.rounds);
    println!("  the real passphrase                                         {:>12}", ms(duress.real));
    println!("  the duress passphrase (opens the decoy)                     {:>12}", ms(duress.duress));
    println!("  a wrong passphrase                                          {:>12}", ms(duress.wrong));
    let times = [duress.real, duress.duress, duress.wrong];
    let (lo, hi) = (times.iter().min().copied().unwrap_or_default(), times.iter().max().copied().unwrap_or_default());
    let spread = (hi.as_secs_f64() - lo.as_secs_f64()) / lo.as_secs_f64().max(f64::MIN_POSITIVE) * 100.0;
    println!(
        "  spread (max − min) / min {:>5.1}% ; the rounds' own noise (the real passphrase, max − min) {:>5.1}%   (goal: the same within noise: {})",
        spread,
        duress.real_noise * 100.0,
        if spread <= (duress.real_noise * 100.0).max(5.0) { "met" } else { "MISSED" }
    );

    // The panic wipe of this vault, with the evidence of a busy one put in its blobs folder.
    let wipe = wipe_time(&enc_dir);
    let goal = |d: Duration| if d < Duration::from_secs(1) { "≤ 1 s met" } else { "≤ 1 s MISSED" };
    println!();
    println!(
        "panic wipe of {n} incidents and {} evidence files, {:.1} GiB:",
        wipe.files,
        wipe.bytes as f64 / (1u64 << 30) as f64
    );
    println!(
        "  keys destroyed (the passphrase opens nothing from here on)  {:>12} ({})",
        ms(wipe.keys),
        goal(wipe.keys)
    );
    println!(
        "  everything removed                                          {:>12} ({})",
        ms(wipe.total),
        goal(wipe.total)
    );
    println!("  `rm -rf` of the same files, for comparison (remove_dir_all) {:>12}", ms(wipe.rm_rf));
}

/// What [`duress_unlock_times`] measured.
struct DuressFigures {
    rounds: usize,
    real: Duration,
    duress: Duration,
    wrong: Duration,
    /// (max − min) / min of the real passphrase's own rounds: the noise the spread is judged by.
    real_noise: f64,
}

/// Times `Vault::unlock` of a small vault (KDF calibrated as shipped, a few records in both the
/// real vault and the decoy) with the real, the duress and a wrong passphrase, taken in turns so
/// that the machine's load falls on all three alike.
fn duress_unlock_times(dir: &Path) -> DuressFigures {
    let real = SecretString::from("benchmark passphrase, not a secret");
    let duress = SecretString::from("benchmark duress passphrase");
    let wrong = SecretString::from("benchmark wrong passphrase");
    let mut owner = Vault::create(dir, &real, gawahi_core::kdf::DEFAULT_TARGET).expect("create");
    let incident = |title: &str| {
        let serde_json::Value::Object(m) = serde_json::json!({"title": title}) else { unreachable!() };
        m
    };
    owner.add(Kind::Incident, incident("a real record")).expect("add");
    owner.set_duress(&duress, gawahi_core::vault::DuressMode::Decoy).expect("set duress");
    owner.lock();
    let mut decoy = Vault::unlock(dir, &duress).expect("decoy");
    decoy.add(Kind::Incident, incident("a decoy record")).expect("add");
    decoy.lock();
    let rounds = 5;
    let (mut with_real, mut with_duress, mut with_wrong) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        for (which, samples) in [(&real, &mut with_real), (&duress, &mut with_duress), (&wrong, &mut with_wrong)] {
            let started = Instant::now();
            let unlocked = Vault::unlock(dir, which);
            samples.push(started.elapsed());
            if let Ok(opened) = unlocked {
                opened.lock();
            }
        }
    }
    let noise = {
        let lo = with_real.iter().min().copied().unwrap_or_default().as_secs_f64();
        let hi = with_real.iter().max().copied().unwrap_or_default().as_secs_f64();
        (hi - lo) / lo.max(f64::MIN_POSITIVE)
    };
    DuressFigures {
        rounds,
        real: percentile(&mut with_real, 0.5),
        duress: percentile(&mut with_duress, 0.5),
        wrong: percentile(&mut with_wrong, 0.5),
        real_noise: noise,
    }
}

/// What [`wipe_time`] measured.
struct WipeFigures {
    files: usize,
    bytes: u64,
    keys: Duration,
    total: Duration,
    rm_rf: Duration,
}

/// Fills `blobs` with `GAWAHI_BENCH_WIPE_FILES` files (3,000 by default) of
/// `GAWAHI_BENCH_WIPE_GIB` GiB in all (2 by default), synced to disk. The files are random-looking
/// bytes, not real blobs: the wipe never reads them, it only unlinks them, and intake at this size
/// would add minutes to the benchmark for nothing.
fn fill(blobs: &Path) -> (usize, u64) {
    use std::io::Write;
    let files: usize = std::env::var("GAWAHI_BENCH_WIPE_FILES").ok().and_then(|s| s.parse().ok()).unwrap_or(3_000);
    let gib: f64 = std::env::var("GAWAHI_BENCH_WIPE_GIB").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let per_file = ((gib * (1u64 << 30) as f64) as u64 / files.max(1) as u64).max(1);
    let chunk: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    std::fs::create_dir_all(blobs).expect("blobs");
    for i in 0..files {
        let mut f = std::fs::File::create(blobs.join(format!("bench-{i:05}"))).expect("create");
        let mut left = per_file;
        while left > 0 {
            let n = left.min(chunk.len() as u64) as usize;
            f.write_all(&chunk[..n]).expect("write");
            left -= n as u64;
        }
    }
    // Everything on disk first, so files are removed the way they sit on a laptop.
    let _ = Command::new("sync").status();
    (files, per_file * files as u64)
}

/// Times `Vault::wipe` of the vault in `dir` with its blobs folder filled, watching from another
/// thread for the moment the key header is gone; then times removing the same files by hand.
fn wipe_time(dir: &Path) -> WipeFigures {
    eprintln!("writing evidence-sized files for the wipe…");
    let (files, bytes) = fill(&dir.join(gawahi_core::vault::BLOBS_DIR));
    let header = dir.join(gawahi_core::header::FILE_NAME);
    let target = dir.to_owned();
    let started = Instant::now();
    let worker = std::thread::spawn(move || Vault::wipe(&target));
    let mut keys = None;
    while !worker.is_finished() {
        if keys.is_none() && !header.exists() {
            keys = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    worker.join().expect("the wipe's thread").expect("wipe");
    let total = started.elapsed();
    eprintln!("writing the same files again for `rm -rf`…");
    let again = dir.with_extension("rm-rf");
    fill(&again);
    let started = Instant::now();
    std::fs::remove_dir_all(&again).expect("remove");
    let rm_rf = started.elapsed();
    WipeFigures { files, bytes, keys: keys.unwrap_or(total), total, rm_rf }
}
