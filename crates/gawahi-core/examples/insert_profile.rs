//! Profiling aid for the insert figure of `make bench`: inserts N synthetic incidents in batches
//! of 20,000 (as the bench does) into a plain or an encrypted vault and prints each batch's rate,
//! and nothing else, so that `perf record` or callgrind of it shows only the insert path.
//! `PROF_N` (default 40,000), `PROF_WHICH` (`plain`, `enc` or `both`, the default), `PROF_HOW`
//! (`batch`, the default: `Vault::add_batch`; or `import`: the same records as JSON Lines through
//! `Vault::import_jsonl`, the path a user's bulk insert takes).

use std::time::{Duration, Instant};

use gawahi_core::synth::Synth;
use gawahi_core::{Kind, SecretString, Vault};

const BATCH: usize = 20_000;

fn fill(name: &str, v: &mut Vault, n: usize) {
    let import = std::env::var("PROF_HOW").is_ok_and(|h| h == "import");
    let mut synth = Synth::new(7);
    let mut done = 0;
    let mut time = Duration::ZERO;
    while done < n {
        let batch: Vec<_> = (0..BATCH.min(n - done)).map(|_| (Kind::Incident, synth.incident())).collect();
        let len = batch.len();
        if import {
            let mut lines = Vec::new();
            for (kind, mut body) in batch {
                body.insert("kind".into(), kind.as_str().into());
                serde_json::to_writer(&mut lines, &body).expect("json");
                lines.push(b'\n');
            }
            let started = Instant::now();
            done += usize::try_from(v.import_jsonl(&lines[..]).expect("import").records).expect("count");
            let took = started.elapsed();
            time += took;
            println!("{name} import of {len}: {:.2} k/s", len as f64 / took.as_secs_f64() / 1e3);
            continue;
        }
        let started = Instant::now();
        done += v.add_batch(batch).expect("insert").len();
        let took = started.elapsed();
        time += took;
        println!("{name} batch of {len}: {:.2} k/s", len as f64 / took.as_secs_f64() / 1e3);
    }
    println!("{name} insert {:.2} k/s", n as f64 / time.as_secs_f64() / 1e3);
}

fn main() {
    let n: usize = std::env::var("PROF_N").ok().and_then(|s| s.parse().ok()).unwrap_or(40_000);
    let which = std::env::var("PROF_WHICH").unwrap_or_else(|_| "both".into());
    let tmp = tempfile::tempdir().expect("tempdir");
    // The plain vault first: SQLCipher's memory security, once on, is on for the whole process.
    if which != "enc" {
        let mut plain = Vault::create_unencrypted_baseline(&tmp.path().join("plain")).expect("plain");
        fill("plain", &mut plain, n);
    }
    if which != "plain" {
        let pass = SecretString::from("profile passphrase, not a secret");
        let mut enc = Vault::create(&tmp.path().join("enc"), &pass, Duration::from_millis(10)).expect("enc");
        fill("enc", &mut enc, n);
    }
}
