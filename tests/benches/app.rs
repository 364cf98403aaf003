//! `make bench` (app part): the release app in a real window, driven through WebDriver, on a
//! vault of 100,000 synthetic incidents (English and Urdu).
//!
//! - cold start: from asking tauri-driver for a session (which launches the app) to the unlock
//!   screen being on screen. This includes the driver's own start-up, so it is an upper bound.
//! - idle memory: the resident set of the app's whole process tree (the app and its WebKit web
//!   and network processes) a few seconds after unlocking.
//! - list paging: from a click on "next page" to the new rows in the DOM, measured in the page.

use std::time::{Duration, Instant};

use gawahi_core::synth::Synth;
use gawahi_core::{Kind, SecretString, Vault};

const PASSPHRASE: &str = "benchmark passphrase, not a secret";

fn main() {
    let n: usize = std::env::var("GAWAHI_BENCH_N").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let home = tempfile::tempdir().expect("home");
    let vault_dir = home.path().join("vault");
    eprintln!("building a vault of {n} incidents…");
    let mut v =
        Vault::create(&vault_dir, &SecretString::from(PASSPHRASE), gawahi_core::kdf::DEFAULT_TARGET).expect("create");
    let mut synth = Synth::new(11);
    let mut done = 0;
    while done < n {
        let batch: Vec<_> = (0..20_000.min(n - done)).map(|_| (Kind::Incident, synth.incident())).collect();
        done += v.add_batch(batch).expect("batch").len();
    }
    v.lock();

    let mut starts = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let app = gawahi_e2e::app::App::launch_with_vault("bench-start", &vault_dir);
        app.s().wait("#unlock-passphrase", Duration::from_secs(60));
        starts.push(started.elapsed());
        drop(app);
    }
    starts.sort();

    let mut app = gawahi_e2e::app::App::launch_with_vault("bench", &vault_dir);
    app.s().wait("#unlock-passphrase", Duration::from_secs(60));
    app.s().type_into("#unlock-passphrase", PASSPHRASE);
    app.s().click_on("[data-testid=unlock]");
    app.s().wait("[data-testid=nav-dashboard]", Duration::from_secs(60));
    app.settle();
    std::thread::sleep(Duration::from_secs(3));
    let processes = app.process_tree_rss_kib();
    let rss: u64 = processes.iter().map(|p| p.1).sum();

    app.s().click_on("[data-testid=nav-incident]");
    app.settle();
    app.s().wait("[data-testid=record-row]", Duration::from_secs(30));
    let mut clicks = Vec::new();
    for _ in 0..20 {
        let ms = app.s().execute_async(
            "const done = arguments[arguments.length - 1];
             const first = () => document.querySelector('[data-testid=record-row]')?.getAttribute('data-id');
             const before = first();
             const t0 = performance.now();
             document.querySelector('[data-testid=next-page]').click();
             const check = () => first() && first() !== before
               ? requestAnimationFrame(() => done(performance.now() - t0))
               : setTimeout(check, 0);
             check();",
            &[],
        );
        clicks.push(ms.as_f64().unwrap_or(f64::NAN));
    }
    clicks.sort_by(f64::total_cmp);
    // The same page through IPC alone, without rendering, to tell the two costs apart.
    let mut ipc: Vec<f64> = (0..20)
        .map(|_| {
            app.s()
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const t0 = performance.now();
                     window.__TAURI_INTERNALS__
                       .invoke('list_records', {request: {kind: 'incident', after: null, limit: 50, query: null}})
                       .then(() => done(performance.now() - t0), () => done(-1));",
                    &[],
                )
                .as_f64()
                .unwrap_or(f64::NAN)
        })
        .collect();
    ipc.sort_by(f64::total_cmp);
    app.close();

    println!();
    println!("Gawahi app benchmark: release build, {n} incidents, WebKitGTK under Xvfb");
    println!("{:<44} {:>12} {:>12}", "figure", "value", "goal");
    println!(
        "{:<44} {:>9.0} ms {:>12}",
        "cold start to unlock screen (median of 3)",
        starts[1].as_secs_f64() * 1000.0,
        "≤ 1000 ms"
    );
    println!(
        "{:<44} {:>8.1} MiB {:>12}",
        "idle RSS of the process tree after unlock",
        rss as f64 / 1024.0,
        "≤ 150 MiB"
    );
    for (name, kib) in &processes {
        println!("  {name:<42} {:>8.1} MiB", *kib as f64 / 1024.0);
    }
    println!("{:<44} {:>9.1} ms {:>12}", "click next page → rows rendered, p50", clicks[clicks.len() / 2], "");
    println!(
        "{:<44} {:>9.1} ms {:>12}",
        "click next page → rows rendered, p95",
        clicks[clicks.len() * 95 / 100],
        "≤ 50 ms"
    );
    println!("{:<44} {:>9.1} ms", "  of which list_records over IPC, p50", ipc[ipc.len() / 2]);
}
