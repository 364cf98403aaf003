//! `make bench`: the vault's figures, encrypted (SQLCipher) and on a plain SQLite database of the
//! same schema and code paths, side by side.
//!
//! A small harness rather than criterion: the figures that matter are percentiles of single
//! operations at a given vault size and a ratio between two builds, which it prints as one table
//! with the goals beside them. `GAWAHI_BENCH_N` sets the vault size (default 100,000 incidents).

use std::path::Path;
use std::time::{Duration, Instant};

use gawahi_core::search::{Facet, Filters};
use gawahi_core::synth::{DASHBOARD_STATS, QUERIES, Synth};
use gawahi_core::{Kind, SecretString, Vault};

const BATCH: usize = 20_000;

struct Figures {
    insert_per_s: f64,
    get_p50: Duration,
    get_p95: Duration,
    list_p50: Duration,
    list_p95: Duration,
    search_p50: Duration,
    search_p95: Duration,
    faceted_p50: Duration,
    faceted_p95: Duration,
    stats_p50: Duration,
    stats_p95: Duration,
    /// The first of the dashboard's passes, on its own: after the searches and lists its pages
    /// are no longer in SQLite's cache, as after an unlock, so this is what a user waits for
    /// when the dashboard first opens.
    stats_first: Duration,
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn measure(v: &mut Vault, n: usize) -> Figures {
    let mut synth = Synth::new(7);
    let mut ids = Vec::with_capacity(n);
    let mut insert_time = Duration::ZERO;
    while ids.len() < n {
        let batch: Vec<_> = (0..BATCH.min(n - ids.len())).map(|_| (Kind::Incident, synth.incident())).collect();
        let started = Instant::now();
        ids.extend(v.add_batch(batch).expect("insert batch"));
        insert_time += started.elapsed();
    }
    let insert_per_s = n as f64 / insert_time.as_secs_f64();
    // Cases (a tenth of the incidents) and their hearings (five per case), for search, facets
    // and statistics over more than one kind.
    let mut cases = Vec::with_capacity(n / 10);
    while cases.len() < n / 10 {
        let batch: Vec<_> = (0..BATCH.min(n / 10 - cases.len())).map(|_| (Kind::Case, synth.case())).collect();
        cases.extend(v.add_batch(batch).expect("insert cases"));
    }
    for chunk in cases.chunks(BATCH / 5) {
        let batch: Vec<_> =
            chunk.iter().flat_map(|c| (0..5).map(|_| (Kind::Hearing, synth.hearing(c))).collect::<Vec<_>>()).collect();
        v.add_batch(batch).expect("insert hearings");
    }

    // Deterministic "random" picks so both builds read the same records.
    let mut state = 0x2545_F491_u64;
    let mut pick = |len: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % len
    };
    let mut gets: Vec<Duration> = (0..5_000)
        .map(|_| {
            let id = &ids[pick(ids.len())];
            let started = Instant::now();
            std::hint::black_box(v.get(id).expect("get"));
            started.elapsed()
        })
        .collect();
    let mut lists: Vec<Duration> = (0..1_000)
        .map(|i| {
            // Every tenth read is the first page; the rest start at a random record, as a user
            // paging deep into the list does.
            let after = (i % 10 != 0).then(|| ids[pick(ids.len())].clone());
            let started = Instant::now();
            let page = v.list(Kind::Incident, after.as_deref(), 50).expect("list");
            std::hint::black_box(page);
            started.elapsed()
        })
        .collect();
    let mut searches: Vec<Duration> = (0..1_000)
        .map(|i| {
            let q = QUERIES[i % QUERIES.len()];
            let started = Instant::now();
            std::hint::black_box(v.search(q, &Filters::default(), 10).expect("search"));
            started.elapsed()
        })
        .collect();
    let provinces = ["punjab", "sindh", "khyber_pakhtunkhwa", "balochistan", "islamabad"];
    let mut faceted: Vec<Duration> = (0..1_000)
        .map(|i| {
            // A province, sometimes with a date range, a page deep into the list now and then.
            let mut filters = Filters::default().with(Facet::Province, &[provinces[i % provinces.len()]]);
            if i % 3 == 0 {
                filters.date_from = Some("2018".into());
                filters.date_to = Some("2022".into());
            }
            let after = (i % 10 == 5).then(|| ids[pick(ids.len())].clone());
            let started = Instant::now();
            let page = v.list_matching(Kind::Incident, "", &filters, after.as_deref(), 50).expect("faceted list");
            std::hint::black_box(page);
            started.elapsed()
        })
        .collect();
    // The dashboard's statistics: incidents by province, type, perpetrator and month; cases by
    // section, court and status.
    let mut dashboards: Vec<Duration> = (0..20)
        .map(|_| {
            let started = Instant::now();
            for by in DASHBOARD_STATS {
                std::hint::black_box(v.stats(by, &Filters::default()).expect("stats"));
            }
            started.elapsed()
        })
        .collect();
    Figures {
        search_p50: percentile(&mut searches, 0.5),
        search_p95: percentile(&mut searches, 0.95),
        faceted_p50: percentile(&mut faceted, 0.5),
        faceted_p95: percentile(&mut faceted, 0.95),
        stats_first: dashboards[0],
        stats_p50: percentile(&mut dashboards, 0.5),
        stats_p95: percentile(&mut dashboards, 0.95),
        insert_per_s,
        get_p50: percentile(&mut gets, 0.5),
        get_p95: percentile(&mut gets, 0.95),
        list_p50: percentile(&mut lists, 0.5),
        list_p95: percentile(&mut lists, 0.95),
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
    let tmp = tempfile::tempdir().expect("tempdir");
    let passphrase = SecretString::from("benchmark passphrase, not a secret");

    // The baseline runs first: SQLCipher's memory security is process-global, so once the
    // encrypted vault turns it on, every later SQLite allocation (the baseline's too) is locked
    // and wiped, and the baseline would no longer be plain SQLite.
    eprintln!("inserting {n} synthetic incidents (English and Urdu) into each database…");
    let mut plain = Vault::create_unencrypted_baseline(&tmp.path().join("plain")).expect("baseline");
    let p = measure(&mut plain, n);
    drop(plain);

    let enc_dir = tmp.path().join("encrypted");
    let started = Instant::now();
    let enc = Vault::create(&enc_dir, &passphrase, gawahi_core::kdf::DEFAULT_TARGET).expect("create");
    let create = started.elapsed();
    enc.lock();
    let unlock_default = unlock_time(&enc_dir, &passphrase);
    let mut enc = Vault::unlock(&enc_dir, &passphrase).expect("unlock");
    let kdf = gawahi_core::header::KeyHeader::read(&enc_dir).expect("header").kdf;
    let memory_security = enc.memory_security().expect("cipher_memory_security");

    let e = measure(&mut enc, n);
    enc.lock();
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
    println!();
    println!("{:<34} {:>14} {:>14} {:>8}  goal", "figure", "SQLCipher", "plain SQLite", "ratio");
    let row = |name: &str, enc: f64, plain: f64, unit: &str, goal: &str, higher_is_better: bool| {
        let ratio = if higher_is_better { plain / enc } else { enc / plain };
        println!("{name:<34} {enc:>11.3} {unit:<2} {plain:>11.3} {unit:<2} {ratio:>7.2}×  {goal}");
    };
    let insert_goal = format!(
        "≥ 20 k/s {}; ≤ 1.15× {}",
        if e.insert_per_s >= 20_000.0 { "met" } else { "MISSED" },
        if p.insert_per_s / e.insert_per_s <= 1.15 { "met" } else { "MISSED" }
    );
    row("insert (batches of 20k)", e.insert_per_s / 1000.0, p.insert_per_s / 1000.0, "k/s", &insert_goal, true);
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
    row("dashboard statistics (7) p50", d(e.stats_p50), d(p.stats_p50), "ms", "", false);
    let stats_goal = goal(e.stats_p95, 50.0, p.stats_p95);
    row("dashboard statistics (7) p95", d(e.stats_p95), d(p.stats_p95), "ms", &stats_goal, false);
    let first_goal = goal(e.stats_first, 50.0, p.stats_first);
    row("dashboard statistics (7) 1st pass", d(e.stats_first), d(p.stats_first), "ms", &first_goal, false);
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
    let _ = std::process::Command::new("sync").status();
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
