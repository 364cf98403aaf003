//! JSON Lines import (all or nothing) and plaintext export (recorded before it is written).

use std::io::{BufRead, Write};

use serde::Serialize;
use serde_json::Value;

use super::{Origin, Vault, add_in, link_in, vocab_add_in};
use crate::audit::{self, Action};
use crate::error::{Error, Invalid, Reason, Result};
use crate::export::{self, ExportOptions, ExportSummary};
use crate::model::Kind;
use crate::store::search::IndexWriter;
use crate::vocab;

impl Vault {
    /// Imports records and links from JSON Lines: one object per line with a `kind` (a record
    /// kind, or `link` with `from_id`, `to_id` and `role`). All or nothing: the first bad line
    /// stops the import, its error names the line and field, and nothing from the file is kept.
    pub fn import_jsonl(&mut self, input: impl BufRead) -> Result<ImportSummary> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        // An import only adds, all or nothing, so it writes the index as a batch does
        // (`Vault::add_batch`): one writer for the whole file, its labels remembered and its facet
        // rows written together at the end, and FTS5's merging done once at the end.
        crate::store::search::defer_merges(&tx)?;
        let mut index = IndexWriter::deferring();
        let mut summary = ImportSummary::default();
        for (i, line) in input.lines().enumerate() {
            let n = i + 1;
            let line = line.map_err(|e| {
                let why =
                    if e.kind() == std::io::ErrorKind::InvalidData { "it is not UTF-8 text" } else { "a read error" };
                Invalid::whole(Reason::BadImportLine, format!("cannot read the file: {why}")).at_line(n)
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let at_line = |e: Error| match e {
                Error::Invalid(inv) => Error::Invalid(inv.at_line(n)),
                other => other,
            };
            let mut obj = match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(m)) => m,
                Ok(_) => {
                    return Err(Invalid::whole(Reason::BadImportLine, "expected one JSON object per line")
                        .at_line(n)
                        .into());
                }
                Err(e) => {
                    return Err(Invalid::whole(
                        Reason::BadImportLine,
                        format!("not valid JSON (a syntax error at column {})", e.column()),
                    )
                    .at_line(n)
                    .into());
                }
            };
            let Some(Value::String(kind)) = obj.remove("kind") else {
                return Err(Invalid::field("kind", Reason::BadImportLine, "every line needs a `kind`")
                    .at_line(n)
                    .into());
            };
            if kind == "vocab" {
                let given: ImportedVocab = crate::model::strict(Value::Object(obj)).map_err(|e| e.at_line(n))?;
                vocab_add_in(&tx, &given.vocab, &given.entry, true).map_err(at_line)?;
                // The writer may remember that an entry was missing, or a section's code not
                // found, before this line added it.
                index.forget_vocabulary();
            } else if kind == "link" {
                let given: ImportedLink = crate::model::strict(Value::Object(obj)).map_err(|e| e.at_line(n))?;
                link_in(
                    &tx,
                    given.id.as_deref(),
                    &given.from_id,
                    &given.to_id,
                    &given.role,
                    given.created_at.as_deref(),
                )
                .map_err(at_line)?;
                summary.links += 1;
            } else {
                let kind = Kind::parse(&kind).ok_or_else(|| {
                    Invalid::field("kind", Reason::BadImportLine, "is not a kind of record, `link` or `vocab`")
                        .at_line(n)
                })?;
                add_in(&tx, &mut index, kind, obj, Origin::Import).map_err(at_line)?;
                summary.records += 1;
            }
        }
        index.finish(&tx)?;
        crate::store::search::merge_deferred(&tx, usize::try_from(summary.records).unwrap_or(usize::MAX))?;
        audit::append(&tx, Action::Import, None, None, None)?;
        tx.commit()?;
        self.labels.forget();
        Ok(summary)
    }

    /// Writes every record and link as JSON Lines (the format [`Vault::import_jsonl`] reads),
    /// in plaintext, honouring consent and anonymity flags (see [`crate::export`]).
    ///
    /// The export is recorded in the audit log before anything is written, so a vault that
    /// cannot record it (a full disk, read-only media) refuses to export.
    pub fn export_jsonl(&mut self, options: ExportOptions, out: impl Write) -> Result<ExportSummary> {
        self.writable()?;
        let what = if options.anonymise { "anonymised" } else { "full" };
        audit::append(&self.conn, Action::Export, Some(what), None, None)?;
        let pseudonyms =
            crate::report::Pseudonyms::new(&self.master.derive(crate::crypto::keys::KeyPurpose::Pseudonyms));
        export::write(&self.conn, options, &pseudonyms, out)
    }
}

/// A vocabulary entry on an import line (`{"kind": "vocab", "vocab": …, "entry": {…}}`), as a
/// full export writes the entries the user added, so that records using them import again.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedVocab {
    vocab: String,
    entry: vocab::Entry,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportedLink {
    #[serde(default)]
    id: Option<String>,
    from_id: String,
    to_id: String,
    role: String,
    #[serde(default)]
    created_at: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// Records created.
    pub records: u64,
    /// Links created.
    pub links: u64,
}
