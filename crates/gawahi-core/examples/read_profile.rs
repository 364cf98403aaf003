//! Profiling aid for the faceted list and dashboard figures of `make bench`: fills a plain or an
//! encrypted vault as the bench does, then runs only the faceted list pages and the dashboard's
//! statistics, many times, so that `perf record` of it shows mostly those. `PROF_N` (default
//! 100,000), `PROF_REPS` (rounds, default 5), `PROF_WHICH` (`plain` or `enc`, the default),
//! `PROF_ONLY` (`faceted`, `stats`, or `cold`: the dashboard's first pass after its pages left
//! SQLite's cache, timed again and again), `PROF_DEEP` (every faceted page deep in the list),
//! `PROF_CTL` (perf's control FIFO, to leave the fill out of a profile), `PROF_KEEP` (a directory
//! to make the vault in and leave behind).

use std::time::{Duration, Instant};

use gawahi_core::search::Filters;
use gawahi_core::synth::{DASHBOARD_STATS, Synth, faceted_filters};
use gawahi_core::{Kind, SecretString, Vault};

fn fill(v: &mut Vault, n: usize) -> Vec<String> {
    let mut synth = Synth::new(7);
    let mut ids = Vec::new();
    while ids.len() < n {
        let batch: Vec<_> = (0..20_000.min(n - ids.len())).map(|_| (Kind::Incident, synth.incident())).collect();
        ids.extend(v.add_batch(batch).expect("insert"));
    }
    synth.add_cases_with_hearings(v, n / 10).expect("cases and hearings");
    ids
}

fn p(t: &mut [Duration], q: f64) -> f64 {
    if t.is_empty() {
        return 0.0;
    }
    t.sort_unstable();
    t[((t.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3
}

fn report(name: &str, v: &Vault, ids: &[String], reps: usize) {
    let mut state = 0x2545_F491_u64;
    let mut pick = |len: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % len
    };
    let only = std::env::var("PROF_ONLY").unwrap_or_default();
    let all_deep = std::env::var_os("PROF_DEEP").is_some();
    if only == "cold" {
        // The dashboard's first pass, again and again: 200 deep faceted pages push its pages out
        // of SQLite's cache, then one pass is timed. (Under perf, the faceted pages are sampled
        // too.)
        let mut cold = Vec::new();
        for _ in 0..reps {
            for i in 0..200 {
                // Every third page of the bench's has a date range; these are the others.
                let filters = faceted_filters(3 * i + 1);
                let after = ids[pick(ids.len())].clone();
                std::hint::black_box(v.list_matching(Kind::Incident, "", &filters, Some(&after), 50).expect("list"));
            }
            let s = Instant::now();
            for by in DASHBOARD_STATS {
                std::hint::black_box(v.stats(by, &Filters::default()).expect("stats"));
            }
            cold.push(s.elapsed());
        }
        println!("{name} cold dashboard: p50 {:.3} p95 {:.3} ms", p(&mut cold, 0.5), p(&mut cold, 0.95));
        return;
    }
    for round in 0..reps {
        if only != "stats" {
            let mut deep = Vec::new();
            let mut top = Vec::new();
            for i in 0..1_000 {
                let filters = faceted_filters(i);
                let after = (all_deep || i % 10 == 5).then(|| ids[pick(ids.len())].clone());
                let started = Instant::now();
                std::hint::black_box(
                    v.list_rows_matching(Kind::Incident, "", &filters, after.as_deref(), 50).expect("list"),
                );
                if after.is_some() { deep.push(started.elapsed()) } else { top.push(started.elapsed()) }
            }
            println!(
                "{name} round {round} faceted: top p50 {:.3} p95 {:.3}; deep p50 {:.3} p95 {:.3} ms",
                p(&mut top, 0.5),
                p(&mut top, 0.95),
                p(&mut deep, 0.5),
                p(&mut deep, 0.95)
            );
        }
        if only != "faceted" {
            let mut d: Vec<Duration> = (0..200)
                .map(|_| {
                    let s = Instant::now();
                    for by in DASHBOARD_STATS {
                        std::hint::black_box(v.stats(by, &Filters::default()).expect("stats"));
                    }
                    s.elapsed()
                })
                .collect();
            println!("{name} round {round} dashboard: p50 {:.3} p95 {:.3} ms", p(&mut d, 0.5), p(&mut d, 0.95));
        }
    }
}

/// Tells `perf record --control fifo:CTL -D -1` to start sampling, when `PROF_CTL` names its
/// control FIFO, so that the profile leaves out the fill.
fn start_perf() {
    if let Ok(ctl) = std::env::var("PROF_CTL") {
        std::fs::write(ctl, "enable\n").expect("perf control fifo");
    }
}

fn main() {
    let n: usize = std::env::var("PROF_N").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let reps: usize = std::env::var("PROF_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(5);
    let which = std::env::var("PROF_WHICH").unwrap_or_else(|_| "enc".into());
    // `PROF_KEEP` names a directory to make the vault in and leave behind, for a look at its
    // pages (`sqlite3` and `dbstat` on the plain one); otherwise a temporary one.
    match std::env::var_os("PROF_KEEP") {
        Some(dir) => main_in(std::path::Path::new(&dir), n, reps, &which),
        None => main_in(tempfile::tempdir().expect("tempdir").path(), n, reps, &which),
    }
}

fn main_in(root: &std::path::Path, n: usize, reps: usize, which: &str) {
    if which == "plain" {
        let mut plain = Vault::create_unencrypted_baseline(&root.join("plain")).expect("plain");
        let ids = fill(&mut plain, n);
        eprintln!("filled");
        start_perf();
        report("plain", &plain, &ids, reps);
    } else {
        let pass = SecretString::from("profile passphrase, not a secret");
        let mut enc = Vault::create(&root.join("enc"), &pass, Duration::from_millis(10)).expect("enc");
        let ids = fill(&mut enc, n);
        eprintln!("filled");
        start_perf();
        report("enc", &enc, &ids, reps);
    }
}
