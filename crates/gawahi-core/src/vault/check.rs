//! The integrity check: page MACs, SQLite's own check, counts, foreign keys, the audit chain and
//! its head, and every record and link against its last audit entry.

use rusqlite::OptionalExtension;
use serde::Serialize;

use super::Vault;
use crate::audit::{self, Action};
use crate::crypto::stream;
use crate::error::Result;
use crate::evidence::CustodyAction;
use crate::links::{self};
use crate::records::{self};
use crate::search::ListRow;
use crate::store::{custody, evidence};

impl Vault {
    /// Checks the vault: every page's MAC, SQLite's own integrity check, foreign keys, the audit
    /// chain, and that every record and link matches its last audit entry.
    pub fn check(&self) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let page_errors: Vec<String> = self
            .conn
            .prepare("PRAGMA cipher_integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !page_errors.is_empty() {
            report.problems.push(format!(
                "{} database page(s) fail their MAC: the file was damaged or tampered with",
                page_errors.len()
            ));
            // Nothing else can be trusted to read; stop here.
            return Ok(report);
        }
        let integrity: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if integrity != ["ok"] {
            report.problems.push(format!("SQLite integrity check: {}", integrity.join("; ")));
        }
        let miscounted: i64 = self.conn.query_row(
            "SELECT count(*) FROM (SELECT kind, count(*) AS n FROM records GROUP BY kind) c
             FULL OUTER JOIN record_counts k USING (kind) WHERE coalesce(c.n, 0) <> coalesce(k.n, 0)",
            [],
            |r| r.get(0),
        )?;
        if miscounted > 0 {
            report.problems.push(format!("the record counts of {miscounted} kind(s) do not match the records"));
        }
        let fk: i64 = self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if fk > 0 {
            report.problems.push(format!("{fk} reference(s) point at records that do not exist"));
        }
        // The search index is kept in the same transaction as every change, so a record or item
        // without its document (or a document without one) was written behind the app's back.
        let unindexed: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.target = r.id))
                  + (SELECT count(*) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM search_docs d WHERE d.target = e.id))
                  + (SELECT count(*) FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = d.target)
                         AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = d.target))
                  + abs((SELECT count(*) FROM search_docs) - (SELECT count(*) FROM search_fts))
                  + (SELECT count(*) FROM search_rows r WHERE NOT EXISTS
                         (SELECT 1 FROM search_docs d JOIN records c ON c.id = d.target WHERE d.doc = r.doc))",
            [],
            |r| r.get(0),
        )?;
        if unindexed > 0 {
            report.problems.push(format!(
                "the search index and the records disagree in {unindexed} place(s): something was changed behind the app's back"
            ));
        }
        // The facet counts the dashboard reads are kept with the facet rows in every transaction
        // that writes them, and name the values the rows hold by id; a count that differs from
        // its rows, a value no document holds (which would keep a deleted record's text), a row
        // whose id names no value, or two values sharing an id was written behind the app's back.
        let miscounted_facets: i64 = self.conn.query_row(
            "SELECT (SELECT count(*) FROM (SELECT value_id, count(*) AS n FROM search_facets GROUP BY value_id) c
                         FULL OUTER JOIN search_facet_counts k ON k.id = c.value_id
                     WHERE coalesce(c.n, 0) <> coalesce(k.n, 0) OR k.n <= 0)
                  + (SELECT count(*) - count(DISTINCT id) FROM search_facet_counts)",
            [],
            |r| r.get(0),
        )?;
        if miscounted_facets > 0 {
            report.problems.push(format!(
                "the search index's counts of {miscounted_facets} filter value(s) do not match its rows: something was changed behind the app's back"
            ));
        }
        let misfiled = crate::store::search::documents_with_wrong_facet_rows(&self.conn)?;
        if misfiled > 0 {
            report.problems.push(format!(
                "the filter rows of {misfiled} indexed document(s) do not match the values and the day they list: something was changed behind the app's back"
            ));
        }
        report.problems.extend(audit::verify_chain(&self.conn)?);
        for entry in audit::with_action(&self.conn, Action::HeaderChange)? {
            report.notes.push(format!(
                "at {} the key header was found changed without an entry for the change in this database: a passphrase change cut off by a crash explains it, and so would an older copy of this database put in place (records added after that copy would be missing)",
                entry.at
            ));
        }
        let head: Option<String> =
            self.conn.query_row("SELECT action FROM audit_log WHERE seq = 1", [], |r| r.get(0)).optional()?;
        if head.as_deref() != Some(Action::VaultCreate.as_str()) {
            report.problems.push(
                "the audit log does not begin with the vault's creation: its head was removed, or this database was not made by this vault".to_owned(),
            );
        }
        report.audit_entries =
            self.conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get::<_, i64>(0))?.unsigned_abs();

        let latest = audit::latest_by_target(&self.conn)?;
        let mut matches = |id: &str, what: &str, hash: String| match latest.get(id) {
            Some((action, Some(h))) if *h == hash && !action.ends_with(".delete") => {}
            Some(_) => report.problems.push(format!("{what} {id} was changed without an audit entry")),
            None => report.problems.push(format!("{what} {id} has no audit entry: it was added behind the app's back")),
        };
        let mut record_count = 0;
        // A list row is made from its record alone and written with it (`search::ListRow`), so
        // one that differs, or is missing while the record has its document, was written behind
        // the app's back (a missing document is counted above).
        let mut stale_rows = 0_u64;
        // So is its document: its words, its facet values and its day, made again from the
        // record and compared. One changed with its facet rows and FTS5's index alike (which
        // `documents_with_wrong_facet_rows` and FTS5 hold to it) would make the record
        // unfindable, or move it into another filter or date range, unseen.
        let mut wrong_documents = 0_u64;
        let mut labels = crate::store::search::LabelCache::default();
        records::for_each(&self.conn, |r| {
            record_count += 1;
            matches(&r.id, r.kind().as_str(), r.content_hash());
            if crate::store::search::stored_row(&self.conn, &r.id)?.is_some_and(|row| row != ListRow::of(&r).stored()) {
                stale_rows += 1;
            }
            if crate::store::search::indexed_record_differs(&self.conn, &mut labels, &r)? {
                wrong_documents += 1;
            }
            Ok(())
        })?;
        let all_links = links::all(&self.conn)?;
        for l in &all_links {
            matches(&l.id, "link", l.content_hash());
        }
        report.records = record_count;
        if stale_rows > 0 {
            report.problems.push(format!(
                "the list rows of {stale_rows} record(s) do not match the records: something was changed behind the app's back"
            ));
        }
        if wrong_documents > 0 {
            report.problems.push(format!(
                "the search index holds other words, filter values or date than {wrong_documents} record(s) have: something was changed behind the app's back"
            ));
        }
        report.links = all_links.len() as u64;
        self.check_evidence(&latest, &mut report)?;
        Ok(report)
    }
}

impl Vault {
    /// Every evidence item: its row against its last audit entry, its custody chain (anchored to
    /// its SHA-256 and size), and its file (there, and of the size its content implies). Custody
    /// logs whose item is gone must end with its deletion. Decrypting every file is
    /// [`Vault::verify_evidence`]'s work, not this check's.
    fn check_evidence(
        &self,
        latest: &std::collections::HashMap<String, (String, Option<String>)>,
        report: &mut CheckReport,
    ) -> Result<()> {
        let items = evidence::list(&self.conn, None)?;
        let blobs = self.dir.join(crate::files::names(&self.dir).blobs);
        let mut ids = std::collections::HashSet::new();
        for row in &items {
            let item = &row.item;
            ids.insert(item.id.clone());
            match latest.get(&item.id) {
                Some((action, Some(h))) if *h == item.content_hash() && !action.ends_with(".delete") => {}
                Some(_) => report.problems.push(format!("evidence {} was changed without an audit entry", item.id)),
                None => report
                    .problems
                    .push(format!("evidence {} has no audit entry: it was added behind the app's back", item.id)),
            }
            report.problems.extend(custody::verify(&self.conn, &item.id, Some(&item.intake_detail()))?);
            if let Some(problem) = self.check_parent(item)? {
                report.problems.push(problem);
            }
            if crate::store::search::indexed_evidence_differs(&self.conn, item)? {
                report.problems.push(format!(
                    "the search index holds other words than evidence {} has: something was changed behind the app's back",
                    item.id
                ));
            }
            // A committed item whose file still has its temporary name (an intake cut off just
            // before its rename, which the next unlock that can write finishes) is there.
            match super::evidence::open_committed_blob(&blobs, &row.blob).and_then(|f| f.metadata()) {
                Ok(m) if m.len() == stream::sealed_len(item.size) => {}
                Ok(_) => report.problems.push(format!(
                    "evidence {}'s encrypted file has the wrong size: it was cut, added to or replaced",
                    item.id
                )),
                Err(_) => report.problems.push(format!("evidence {}'s encrypted file is missing", item.id)),
            }
        }
        for (id, last) in custody::items(&self.conn)? {
            let deleted = last == CustodyAction::Delete.as_str();
            if !ids.contains(&id) && !deleted {
                report.problems.push(format!("evidence {id} is gone without a deletion in its custody log"));
            } else if !ids.contains(&id) {
                report.problems.extend(custody::verify(&self.conn, &id, None)?);
            } else if deleted {
                report.problems.push(format!("evidence {id} is there although its custody log says it was deleted"));
            }
        }
        // The decoy shares blobs/ with the real vault, whose files it cannot tell from leftovers:
        // counting them would tell whoever runs the check in the decoy that another vault is there.
        let leftovers = if self.role == crate::header::SlotRole::Owner {
            super::evidence::leftover_blobs(&self.dir, &self.conn)?
        } else {
            0
        };
        if leftovers > 0 {
            report.notes.push(format!(
                "{leftovers} file(s) in blobs/ belong to no evidence item: an intake's temporary file goes at the next unlock no running intake holds it at; a whole file is kept, since an older copy of the database put back would not know the evidence added since"
            ));
        }
        report.evidence = items.len() as u64;
        Ok(())
    }
}

impl Vault {
    /// For a working copy: whether the parent's SHA-256 it recorded is its parent's, as the
    /// parent's row holds it or, for a deleted parent, as the parent's custody log recorded it at
    /// intake.
    fn check_parent(&self, item: &crate::evidence::EvidenceItem) -> Result<Option<String>> {
        let (Some(parent), Some(recorded)) = (&item.parent_id, &item.parent_sha256) else {
            return Ok(match (&item.parent_id, &item.parent_sha256) {
                (None, None) => None,
                _ => Some(format!("working copy {} names its parent only in part", item.id)),
            });
        };
        let actual = match evidence::get(&self.conn, parent)? {
            Some(row) => Some(row.item.sha256),
            None => custody::chain(&self.conn, parent)?.first().and_then(|e| {
                let detail = e.detail.as_deref()?;
                detail.strip_prefix("sha256=")?.split(' ').next().map(str::to_owned)
            }),
        };
        Ok(match actual {
            Some(sha) if sha == *recorded => None,
            Some(_) => Some(format!("working copy {}'s parent hash is not its parent's SHA-256", item.id)),
            None => Some(format!("working copy {}'s parent is gone without a trace in the custody logs", item.id)),
        })
    }
}

/// What an integrity check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Records in the vault.
    pub records: u64,
    /// Links in the vault.
    pub links: u64,
    /// Entries in the audit log.
    pub audit_entries: u64,
    /// Evidence items in the vault.
    pub evidence: u64,
    /// Every problem found, each naming what is wrong and where. Empty when all is well.
    pub problems: Vec<String>,
    /// What is not wrong but should be known: each time the key header was found changed
    /// without an entry for the change, which an interrupted passphrase change explains, and so
    /// does an older copy of this database put in place (whose later records are then missing).
    /// A database file cannot tell these apart on its own; a key rotation makes old copies fail.
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}
