//! Profiling aid for the search figures of `make bench`: builds the bench's data (N incidents,
//! N/10 cases, N/2 hearings) in a plain and an encrypted vault and prints each bench query's
//! time, so that one slow query is not hidden in a percentile. Run under `perf record` to see
//! where a query's time goes. `PROF_N` (default 20,000), `PROF_REPS` (default 20), `PROF_WHICH`
//! (`plain`, `enc` or `both`).

use std::time::{Duration, Instant};

use gawahi_core::search::Filters;
use gawahi_core::synth::{DASHBOARD_STATS, QUERIES, Synth};
use gawahi_core::{Kind, SecretString, Vault};

fn fill(v: &mut Vault, n: usize) -> f64 {
    let mut synth = Synth::new(7);
    let mut done = 0;
    let mut time = Duration::ZERO;
    while done < n {
        let batch: Vec<_> = (0..20_000.min(n - done)).map(|_| (Kind::Incident, synth.incident())).collect();
        let started = Instant::now();
        done += v.add_batch(batch).expect("insert").len();
        time += started.elapsed();
    }
    synth.add_cases_with_hearings(v, n / 10).expect("cases and hearings");
    n as f64 / time.as_secs_f64()
}

fn report(name: &str, v: &Vault, reps: usize) {
    let mut all = Vec::new();
    let only = std::env::var("PROF_ONLY").ok();
    for q in QUERIES.iter().filter(|q| only.as_deref().is_none_or(|o| o == **q)) {
        let mut t: Vec<Duration> = (0..reps)
            .map(|_| {
                let s = Instant::now();
                std::hint::black_box(v.search(q, &Filters::default(), 10).expect("search"));
                s.elapsed()
            })
            .collect();
        t.sort_unstable();
        all.extend_from_slice(&t);
        println!(
            "{name} {q:<24} p50 {:>8.3} ms  max {:>8.3} ms",
            t[t.len() / 2].as_secs_f64() * 1e3,
            t[t.len() - 1].as_secs_f64() * 1e3
        );
    }
    if std::env::var_os("PROF_STATS").is_some() {
        let times: Vec<String> = (0..20)
            .map(|_| {
                let s = Instant::now();
                for by in DASHBOARD_STATS {
                    std::hint::black_box(v.stats(by, &Filters::default()).expect("stats"));
                }
                format!("{:.1}", s.elapsed().as_secs_f64() * 1e3)
            })
            .collect();
        println!("{name} dashboards (ms, in order): {}", times.join(" "));
    }
    all.sort_unstable();
    let p = |x: f64| all[((all.len() - 1) as f64 * x).round() as usize].as_secs_f64() * 1e3;
    println!("{name} ALL p50 {:.3} ms p95 {:.3} ms", p(0.5), p(0.95));
}

fn main() {
    let n: usize = std::env::var("PROF_N").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let reps: usize = std::env::var("PROF_REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let which = std::env::var("PROF_WHICH").unwrap_or_else(|_| "both".into());
    let tmp = tempfile::tempdir().expect("tempdir");
    let tmp = std::env::var("PROF_DIR").map_or_else(|_| tmp.path().to_owned(), std::path::PathBuf::from);
    if which != "enc" {
        let mut plain = Vault::create_unencrypted_baseline(&tmp.join("plain")).expect("plain");
        let rate = fill(&mut plain, n);
        println!("plain insert {:.2} k/s", rate / 1e3);
        report("plain", &plain, reps);
    }
    if which != "plain" {
        let pass = SecretString::from("profile passphrase, not a secret");
        let mut enc = Vault::create(&tmp.join("enc"), &pass, Duration::from_millis(10)).expect("enc");
        let rate = fill(&mut enc, n);
        println!("enc insert {:.2} k/s", rate / 1e3);
        report("enc", &enc, reps);
    }
}
