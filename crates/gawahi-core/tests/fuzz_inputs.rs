//! The fuzz targets' functions (fuzz/src/lib.rs, the same code `cargo fuzz run` calls) over their
//! committed corpus (fuzz/corpus/<target>/) and a few thousand inputs mutated from it by a seeded
//! generator, as an ordinary test: no panic, no wrong data, and every input returns (a hang
//! would stop the test). The long, coverage-guided runs are `make torture-fuzz`.

#[path = "../../../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

/// xorshift64*: a fixed, seeded stream of numbers, so a failure is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

/// The committed inputs of `target`, sorted by name.
fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).expect("a corpus file")).collect()
}

/// One mutation of `input`, as libFuzzer's simplest mutators make: flipped bits, bytes set to
/// edge values, bytes inserted or removed, a cut, a piece of another input spliced in, a run
/// repeated, or bytes at random.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = [0, 0xff, 0x7f, 0x80, b'"', b'{', b'\n', b'0'][rng.below(8)];
            }
            2 => out.insert(at, rng.next() as u8),
            3 if at < out.len() => {
                out.remove(at);
            }
            4 => out.truncate(at),
            5 if !other.is_empty() => {
                let from = rng.below(other.len());
                let len = rng.below(other.len() - from + 1).min(4096);
                out.splice(at..at, other[from..from + len].iter().copied());
            }
            6 if at < out.len() => {
                let len = rng.below((out.len() - at).min(64)) + 1;
                let run: Vec<u8> = out[at..at + len].to_vec();
                out.splice(at..at, run.iter().copied().cycle().take(len * (1 + rng.below(8))));
            }
            _ => out.extend((0..rng.below(32)).map(|_| rng.next() as u8)),
        }
    }
    out
}

/// Runs `f` over the corpus of `target`, then over `rounds` mutated inputs.
fn run(target: &str, rounds: usize, f: fn(&[u8])) {
    let seeds = corpus(target);
    assert!(!seeds.is_empty(), "the {target} corpus is empty");
    for seed in &seeds {
        f(seed);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ target.len() as u64);
    for _ in 0..rounds {
        let seed = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())];
        f(&mutate(&mut rng, seed, other));
    }
}

#[test]
fn fail_the_key_header_parser_survives_its_corpus_and_mutations() {
    run("key_header", 20_000, targets::key_header);
}

#[test]
fn fail_jsonl_import_survives_its_corpus_and_mutations() {
    run("jsonl_import", 1_500, targets::jsonl_import);
}

#[test]
fn fail_the_bundle_reader_survives_its_corpus_and_mutations() {
    run("bundle_reader", 250, targets::bundle_reader);
}

#[test]
fn fail_the_blob_reader_survives_its_corpus_and_mutations() {
    run("blob_reader", 400, targets::blob_reader);
}

/// Writes the seed corpus: real headers, a real JSON Lines export, the tar stream of a real
/// bundle, and blob plans. Run by hand (`--ignored`) when a format changes; its output is
/// committed.
#[test]
#[ignore = "writes fuzz/corpus; run by hand when a format changes"]
fn write_the_seed_corpus() {
    use gawahi_core::bundle::Carries;
    use gawahi_core::bundle::Selection;
    use gawahi_core::evidence::EvidenceMeta;
    use gawahi_core::vault::{BundleRequest, Recipients};
    use gawahi_core::{Kind, SecretString, Vault};
    use std::io::Read;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("../../fuzz/corpus");
    let put = |target: &str, name: &str, bytes: &[u8]| {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).expect("corpus dir");
        std::fs::write(dir.join(name), bytes).expect("write seed");
    };

    for format in ["v1", "v2"] {
        let header =
            std::fs::read(root.join("tests/data/vaults").join(format).join("vault/vault.header")).expect("header");
        put("key_header", &format!("{format}-whole"), &header);
        put("key_header", &format!("{format}-body"), &header[..header.len() - 32]);
    }

    let dir = tempfile::tempdir().expect("dir");
    let mut v = Vault::create(
        &dir.path().join("v"),
        &SecretString::from("seed passphrase 12"),
        std::time::Duration::from_millis(1),
    )
    .expect("vault");
    let obj = |j: serde_json::Value| j.as_object().expect("object").clone();
    let case = v
        .add(
            Kind::Case,
            obj(serde_json::json!({"title": "State v. R. — ریاست", "case_kind": "criminalisation",
                                   "charges": [{"statute": "peca_2016", "section": "20"}]})),
        )
        .expect("case");
    v.add(Kind::Hearing, obj(serde_json::json!({"case_id": case.id, "date": "2026-12-01", "purpose": "Bail"})))
        .expect("hearing");
    let incident = v
        .add(
            Kind::Incident,
            obj(serde_json::json!({"title": "چھاپہ", "occurred_on": "2024-03", "province": "sindh",
                                   "district": "sindh.karachi_south", "incident_types": ["raid_search"]})),
        )
        .expect("incident");
    v.add(Kind::Person, obj(serde_json::json!({"name": "A. Witness", "consent_to_store": true}))).expect("person");
    v.link(&incident.id, &case.id, "arises_from").expect("link");
    let meta = EvidenceMeta { original_name: Some("fir copy.txt".into()), ..Default::default() };
    v.add_evidence(&case.id, &b"FIR no. 12/2024, PS Saddar"[..], meta).expect("evidence");
    let mut jsonl = Vec::new();
    v.export_jsonl(gawahi_core::export::ExportOptions::default(), &mut jsonl).expect("export");
    put("jsonl_import", "export", &jsonl);
    put("jsonl_import", "link-only", b"{\"kind\":\"link\",\"from_id\":\"x\",\"to_id\":\"y\",\"role\":\"victim\"}\n");

    let own = v.identity().expect("identity").age_recipient;
    let bundle = dir.path().join("b.gawahi");
    let request = BundleRequest {
        selection: Selection::Case(case.id.clone()),
        to: Recipients::Keys { age: vec![own], contacts: vec![] },
        carries: Carries::Originals,
    };
    v.export_bundle(&request, &bundle, &mut |_| std::ops::ControlFlow::Continue(())).expect("bundle");
    let identity_file = dir.path().join("id.txt");
    v.export_age_identity(&identity_file).expect("identity");
    let text = std::fs::read_to_string(&identity_file).expect("identity text");
    let key = text.lines().find(|l| l.starts_with("AGE-SECRET-KEY-")).expect("a key line");
    let identity: age::x25519::Identity = key.parse().expect("identity");
    let sealed = std::fs::read(&bundle).expect("bundle bytes");
    let decryptor = age::Decryptor::new_buffered(sealed.as_slice()).expect("age");
    let mut tar = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut tar)
        .expect("read");
    put("bundle_reader", "case-tar", &tar);
    put("bundle_reader", "case-sealed", &sealed);

    // Blob plans: [length high, length low, pattern] then four-byte operations.
    put("blob_reader", "empty", &[0, 0, 0]);
    put("blob_reader", "one-chunk", &[0x01, 0x00, 7, 3, 0x10, 0, 200]);
    put("blob_reader", "three-chunks-read", &[0xff, 0xff, 9, 3, 0, 0x40, 255, 3, 0, 0x80, 255]);
    put("blob_reader", "two-chunks-flip", &[0x60, 0x00, 1, 0, 0x20, 0x00, 0x80]);
    put("blob_reader", "cut", &[0x80, 0x00, 2, 1, 0x00, 0x01, 0]);
    put("blob_reader", "appended", &[0x20, 0x00, 3, 2, 0, 0, 0x41]);
}
