//! Records: add, read, change, delete and list, each change in one transaction with its audit
//! entry.

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::{MAX_PAGE, Origin, Vault};
use crate::audit::{self, Action};
use crate::date::now_utc;
use crate::error::{Error, Invalid, Reason, Result};
use crate::links::{self};
use crate::model::normalise_id;
use crate::model::{Check, Kind, RecordData, StatusChange};
use crate::records::{self, ENVELOPE, Record};
use crate::store::search::IndexWriter;

impl Vault {
    /// Adds a record of `kind`. `body` holds the kind's fields; `id`, `created_at` and
    /// `updated_at` are assigned by the vault.
    pub fn add(&mut self, kind: Kind, body: Map<String, Value>) -> Result<Record> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        let record = add_in(&tx, &mut IndexWriter::default(), kind, body, Origin::New)?;
        tx.commit()?;
        Ok(record)
    }

    /// The record with `id`.
    pub fn get(&self, id: &str) -> Result<Record> {
        let id = normalise_id(id);
        records::get(&self.conn, &id)?.ok_or(Error::RecordNotFound(id))
    }

    /// Changes the fields named in `patch` (a JSON merge patch: `null` clears a field), keeping
    /// the others, and validates the result as a whole.
    pub fn update(&mut self, id: &str, patch: Map<String, Value>) -> Result<Record> {
        self.writable()?;
        let id = &normalise_id(id);
        let tx = self.conn.transaction()?;
        let current = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.clone()))?;
        let mut body = current.data.to_json();
        for (key, value) in patch {
            if ENVELOPE.contains(&key.as_str()) {
                let same = value.as_str() == Some(current.to_json()[&key].as_str().unwrap_or_default());
                if same && (key == "id" || key == "kind") {
                    continue;
                }
                return Err(
                    Invalid::field(key, Reason::KeptByVault, "is kept by the vault and cannot be changed").into()
                );
            }
            body.insert(key, value);
        }
        let mut data = RecordData::parse(current.kind(), body)?;
        if let RecordData::Case(old) = &current.data {
            note_status_change(&mut data, old.status.as_deref());
        }
        data.validate(&Check::new(&*tx))?;
        let follows_before = match &current.data {
            RecordData::Hearing(h) => h.follows.as_deref(),
            _ => None,
        };
        super::court::check_follows(&tx, id, &data, follows_before, Origin::New)?;
        let record = Record { updated_at: now_utc(), data, ..current };
        let hash = records::update(&tx, &record)?;
        audit::append(&tx, Action::RecordUpdate, Some(record.kind().as_str()), Some(id), Some(&hash))?;
        tx.commit()?;
        // The write-ahead log still holds the words the edit replaced.
        crate::db::checkpoint_if_idle(&self.conn);
        Ok(record)
    }

    /// Deletes a record and its links. A case with hearings (or a person with risk
    /// assessments) is not deleted: those must be deleted first, so nothing goes by accident.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        self.writable()?;
        let id = &normalise_id(id);
        let tx = self.conn.transaction()?;
        let record = records::get(&tx, id)?.ok_or_else(|| Error::RecordNotFound(id.clone()))?;
        let children = records::children(&tx, id)?;
        if !children.is_empty() {
            // Counted by kind: a case's children are its hearings and its deadlines (tasks).
            let mut by_kind: Vec<(Kind, usize)> = Vec::new();
            for (_, kind) in &children {
                match by_kind.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, n)) => *n += 1,
                    None => by_kind.push((*kind, 1)),
                }
            }
            let counts: Vec<String> = by_kind.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
            return Err(Invalid::whole(
                Reason::HasDependents,
                format!(
                    "this {} still has records of its own ({}); delete them first",
                    record.kind(),
                    counts.join(", ")
                ),
            )
            .into());
        }
        let evidence = crate::store::evidence::count_for_record(&tx, id)?;
        if evidence > 0 {
            return Err(Invalid::whole(
                Reason::HasDependents,
                format!("this {} still has {evidence} evidence item(s); delete them first", record.kind()),
            )
            .into());
        }
        super::court::unlink_hearing(&tx, &record)?;
        crate::store::drafts::discard(&tx, &format!("edit/{id}"))?;
        for link in links::of(&tx, id)? {
            links::delete(&tx, &link.id)?;
            audit::append(&tx, Action::LinkDelete, Some("link"), Some(&link.id), None)?;
        }
        records::delete(&tx, id)?;
        // A saved search narrowed to the record ("everything linked to this person") would list
        // nothing from now on, and its name and words are often the person's: it goes with them.
        super::search::delete_saved_searches_linked_to(&tx, id)?;
        audit::append(&tx, Action::RecordDelete, Some(record.kind().as_str()), Some(id), None)?;
        tx.commit()?;
        // The write-ahead log still holds the deleted record's text.
        crate::db::checkpoint_if_idle(&self.conn);
        Ok(())
    }

    /// A page of records of `kind`, newest first, after the record `after` if given.
    pub fn list(&self, kind: Kind, after: Option<&str>, limit: usize) -> Result<Vec<Record>> {
        let after = after.map(normalise_id);
        records::list(&self.conn, kind, after.as_deref(), limit.min(MAX_PAGE))
    }

    /// How many records of `kind` the vault holds.
    pub fn count(&self, kind: Kind) -> Result<u64> {
        records::count(&self.conn, kind)
    }

    /// Adds many records in one transaction (benchmarks and generated data).
    pub fn add_batch(&mut self, items: impl IntoIterator<Item = (Kind, Map<String, Value>)>) -> Result<Vec<String>> {
        self.writable()?;
        let tx = self.conn.transaction()?;
        crate::store::search::defer_merges(&tx)?;
        // The batch only adds records, so its facet rows may wait to be written together.
        let mut index = IndexWriter::deferring();
        let mut ids = Vec::new();
        for (kind, body) in items {
            ids.push(add_in(&tx, &mut index, kind, body, Origin::New)?.id);
        }
        index.finish(&tx)?;
        crate::store::search::merge_deferred(&tx, ids.len())?;
        tx.commit()?;
        Ok(ids)
    }
}

/// Adds a record in the caller's transaction, indexing it through `index`.
pub(super) fn add_in(
    conn: &Connection,
    index: &mut IndexWriter,
    kind: Kind,
    mut body: Map<String, Value>,
    origin: Origin,
) -> Result<Record> {
    let mut envelope = |key: &str| -> Result<Option<String>> {
        match body.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) if origin == Origin::New => {
                Err(Invalid::field(key, Reason::KeptByVault, "is assigned by the vault; leave it out").into())
            }
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Invalid::field(key, Reason::WrongType, "expected a string").into()),
        }
    };
    let given_id = envelope("id")?;
    let created_at = envelope("created_at")?;
    let updated_at = envelope("updated_at")?;
    if body.contains_key("kind") {
        return Err(Invalid::field("kind", Reason::KeptByVault, "is given by the command, not in the body").into());
    }
    let id = match given_id {
        Some(id) => {
            // Ids are stored in one form, so an upper-case copy of an existing id is the same id.
            let id = uuid::Uuid::parse_str(&id)
                .map_err(|_| Invalid::field("id", Reason::WrongType, "expected a UUID"))?
                .hyphenated()
                .to_string();
            if records::get(conn, &id)?.is_some() || links::get(conn, &id)?.is_some() {
                return Err(Invalid::field("id", Reason::IdTaken, "another record already has this id").into());
            }
            id
        }
        None => uuid::Uuid::now_v7().hyphenated().to_string(),
    };
    for (field, ts) in [("created_at", &created_at), ("updated_at", &updated_at)] {
        if let Some(ts) = ts
            && chrono::DateTime::parse_from_rfc3339(ts).is_err()
        {
            return Err(Invalid::field(field, Reason::WrongType, "expected an RFC 3339 timestamp").into());
        }
    }
    let mut data = RecordData::parse(kind, body)?;
    // An import brings its history as it was; a new case starts its history with its status.
    if origin == Origin::New {
        note_status_change(&mut data, None);
    }
    let body = data.validate_to_json(&Check::new(&index.lookup(conn)))?;
    super::court::check_follows(conn, &id, &data, None, origin)?;
    let now = now_utc();
    let created_at = created_at.unwrap_or_else(|| now.clone());
    let record = Record { id, updated_at: updated_at.unwrap_or_else(|| created_at.clone()), created_at, data };
    let hash = records::insert(conn, index, &record, body)?;
    audit::append(conn, Action::RecordCreate, Some(kind.as_str()), Some(&record.id), Some(&hash))?;
    Ok(record)
}

/// Adds today's entry to a case's status history when its status is not the one it had
/// (`before`) and the history does not already end with it (the UI may have added it).
fn note_status_change(data: &mut RecordData, before: Option<&str>) {
    if let RecordData::Case(case) = data
        && let Some(status) = case.status.as_deref()
        && before != Some(status)
        && case.status_history.last().is_none_or(|h| h.status != status)
    {
        let change = StatusChange { on: crate::date::today_local(), status: status.to_owned() };
        case.status_history.push(change);
    }
}
