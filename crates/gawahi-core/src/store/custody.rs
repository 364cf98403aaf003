//! The `custody_log` table: every evidence item's own hash-chained log of what was done with it
//! (intake, views, exports, verifications, deletion). Entry `n` of an item hashes entry `n-1`'s
//! hash and its own fields; the intake entry records the file's SHA-256 and size, so the chain
//! anchors the evidentiary hash. Entries outlive their item: a deletion is the last entry.

use rusqlite::{Connection, OptionalExtension};

use crate::audit::GENESIS;
use crate::date::now_utc;
use crate::db::Migration;
use crate::error::Result;
use crate::evidence::{CustodyAction, CustodyEntry};

/// Schema changes of the `custody_log` table.
pub const MIGRATIONS: &[Migration] = &[Migration {
    order: 8,
    key: "custody/0001_create",
    sql: "CREATE TABLE custody_log (
              item_id TEXT NOT NULL,
              seq INTEGER NOT NULL,
              at TEXT NOT NULL,
              action TEXT NOT NULL,
              detail TEXT,
              prev_hash TEXT NOT NULL,
              hash TEXT NOT NULL,
              PRIMARY KEY (item_id, seq)
          ) STRICT;",
}];

/// Appends an entry to `item_id`'s chain.
pub(crate) fn append(
    conn: &Connection,
    item_id: &str,
    action: CustodyAction,
    detail: Option<&str>,
) -> Result<CustodyEntry> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM custody_log WHERE item_id = ?1 ORDER BY seq DESC LIMIT 1")?
        .query_row([item_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_owned()), |(s, h)| (s + 1, h));
    let mut e = CustodyEntry {
        item_id: item_id.to_owned(),
        seq,
        at: now_utc(),
        action: action.as_str().to_owned(),
        detail: detail.map(str::to_owned),
        prev_hash,
        hash: String::new(),
    };
    e.hash = e.compute_hash();
    conn.prepare_cached(
        "INSERT INTO custody_log (item_id, seq, at, action, detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute((&e.item_id, e.seq, &e.at, &e.action, &e.detail, &e.prev_hash, &e.hash))?;
    Ok(e)
}

/// `item_id`'s chain, oldest first.
pub(crate) fn chain(conn: &Connection, item_id: &str) -> Result<Vec<CustodyEntry>> {
    Ok(conn
        .prepare_cached(
            "SELECT item_id, seq, at, action, detail, prev_hash, hash FROM custody_log WHERE item_id = ?1 ORDER BY seq",
        )?
        .query_map([item_id], |r| {
            Ok(CustodyEntry {
                item_id: r.get(0)?,
                seq: r.get(1)?,
                at: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
                prev_hash: r.get(5)?,
                hash: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Every item with a chain, and the action of its last entry.
pub(crate) fn items(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare(
            "SELECT c.item_id, c.action FROM custody_log c
             JOIN (SELECT item_id, max(seq) AS seq FROM custody_log GROUP BY item_id) m
               ON c.item_id = m.item_id AND c.seq = m.seq ORDER BY c.item_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Walks `item_id`'s chain; describes every break, naming the item and the entry. `intake` is
/// what the first entry must record (the item's SHA-256 and size as the vault holds them).
pub(crate) fn verify(conn: &Connection, item_id: &str, intake: Option<&str>) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let entries = chain(conn, item_id)?;
    let mut prev = GENESIS.to_owned();
    for (expected, e) in (1..).zip(&entries) {
        if e.seq != expected {
            problems
                .push(format!("custody entries of evidence {item_id} from {expected} are missing: they were removed"));
            break;
        }
        if e.prev_hash != prev {
            problems.push(format!("custody entry {} of evidence {item_id} does not follow the one before it", e.seq));
        }
        if e.compute_hash() != e.hash {
            problems.push(format!("custody entry {} of evidence {item_id} was altered after it was written", e.seq));
        }
        prev.clone_from(&e.hash);
    }
    match (entries.first(), intake) {
        (None, _) => problems.push(format!("evidence {item_id} has no custody log")),
        (Some(first), Some(intake))
            if first.action != CustodyAction::Intake.as_str() || first.detail.as_deref() != Some(intake) =>
        {
            problems.push(format!(
                "evidence {item_id}'s SHA-256 or size is not the one its custody log recorded at intake"
            ));
        }
        _ => {}
    }
    Ok(problems)
}
