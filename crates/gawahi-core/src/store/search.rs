//! The search index: an FTS5 table inside the encrypted database, one document per record and
//! per evidence item, and the facet values of each record, kept in step with the `records` and
//! `evidence` tables by their own write functions (`records::insert`, `update`, `delete`,
//! `evidence::insert`, `delete`), so every path that changes a record changes its index entry
//! in the same transaction.
//!
//! A document holds the record's text fields and the English and Urdu labels of its vocabulary
//! values, folded by [`crate::search::normalise`]: never a field name, never JSON syntax. The FTS5
//! table keeps its folded text (in `search_fts_content`, encrypted like every table): a
//! contentless table (`content = ''`, `contentless_delete = 1`) would save that copy, but it
//! deletes by tombstone and leaves the words in its segments, which `secure-delete` cannot
//! reach. With the text kept, FTS5's `secure-delete` (on) takes a deleted document's words out
//! of the index's segments, and SQLite's own `secure_delete` overwrites the freed space. The
//! write-ahead log still holds the pages as they were until a checkpoint, so a delete or an edit
//! checkpoints it at once (`db::checkpoint_if_idle`); the search tests scan an unencrypted
//! database of this schema, log included, for a deleted word.
//!
//! Document ids carry their kind in their high bits (`kind_number << 40`), so one kind's
//! documents are one range of rowids, handed out upwards (FTS5 flushes its in-memory index
//! whenever a rowid is not above the last one written, so ids handed out downwards made every
//! insert write a segment of its own: 1k inserts/s). A search per kind reads only its range.

use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::db::Migration;
use crate::error::{Error, Result};
use crate::evidence::EvidenceItem;
use crate::model::Kind;
use crate::model::rules::{Choice, FieldRule, ValueRule, kind_rules};
use crate::records::Record;
use crate::search::ListRow;
use crate::search::normalise::{normalise, normalise_into};

/// Schema changes of the search tables.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        order: 13,
        key: "search/0001_create",
        // The index of an existing vault is built by `db::migrate` after the last migration, in
        // the same transaction (see `rebuild`).
        sql: "CREATE TABLE search_docs (
              doc INTEGER PRIMARY KEY,
              target TEXT NOT NULL UNIQUE,
              kind TEXT NOT NULL,
              record_id TEXT NOT NULL
          ) STRICT;
          CREATE INDEX search_docs_by_record ON search_docs(record_id);
          CREATE VIRTUAL TABLE search_fts USING fts5(
              title, body,
              tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\"
          );
          INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);
          CREATE TABLE search_facets (
              field TEXT NOT NULL,
              value TEXT NOT NULL,
              doc INTEGER NOT NULL,
              PRIMARY KEY (field, value, doc)
          ) STRICT, WITHOUT ROWID;
          CREATE INDEX search_facets_by_doc ON search_facets(doc);",
    },
    // Saved searches: a name, the text typed and the filters (JSON of `search::Filters`).
    Migration {
        order: 14,
        key: "search/0002_saved_searches",
        sql: "CREATE TABLE saved_searches (
              name TEXT PRIMARY KEY NOT NULL,
              query TEXT NOT NULL,
              filters TEXT NOT NULL,
              saved_at TEXT NOT NULL
          ) STRICT;",
    },
    // The full-text table again, keeping each word's documents but not its positions
    // (`detail = none`). No query needs positions: every word of a query is a phrase of one
    // token, none is matched near another, and snippets are made from the record's own text. A
    // word's prefix is answered by merging the documents of every word it begins, and with
    // positions that merge copied and merged every position list too, for each kind searched:
    // most of a search's time (see README, the search figures). The index is also smaller, and
    // each insert writes less. Dropping the old table frees its pages, which `secure_delete`
    // overwrites; `db::migrate` builds the new one from the records after the last migration.
    Migration {
        order: 16,
        key: "search/0003_documents_only",
        sql: "DROP TABLE search_fts;
          CREATE VIRTUAL TABLE search_fts USING fts5(
              title, body,
              tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\",
              detail = none
          );
          INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);",
    },
    // What a bulk insert writes per record, made cheaper (README, the insert figures):
    // - The facet table loses its index by document. A batch's facet rows are written sorted by
    //   facet and value (`IndexWriter`), and the index by document then took them out of its
    //   order: most of a batch's B-tree rebalancing. A document's own facet rows are listed in
    //   `search_docs.facets` (JSON pairs), which is how a change or a delete finds them.
    // - A record's date, which date ranges filter on, is `search_docs.day`, not a facet row
    //   that had to be found by document.
    // - FTS5 keeps no column sizes (`columnsize = 0`): nothing ranks by them (results are not
    //   ranked, snippets come from the record), and each insert wrote a row and allocated a
    //   buffer for them.
    // - The tokenizer is FTS5's `ascii`: every text is folded by `search::normalise` before it
    //   reaches FTS5, into words of letters and digits separated by single spaces, which `ascii`
    //   splits exactly as `unicode61` did (it takes every non-ASCII character as part of a word)
    //   without looking each character up in Unicode's tables; queries are folded the same way.
    // `secure-delete` is set again on the new table; `db::migrate` builds it from the records.
    Migration {
        order: 17,
        key: "search/0004_bulk_insert",
        sql: "DROP INDEX search_facets_by_doc;
          ALTER TABLE search_docs ADD COLUMN facets TEXT NOT NULL DEFAULT '[]';
          ALTER TABLE search_docs ADD COLUMN day TEXT;
          DROP TABLE search_fts;
          CREATE VIRTUAL TABLE search_fts USING fts5(
              title, body,
              tokenize = 'ascii',
              detail = none,
              columnsize = 0
          );
          INSERT INTO search_fts (search_fts, rank) VALUES ('secure-delete', 1);",
    },
    // How many documents hold each facet value, kept beside `search_facets` in the same
    // transaction as every change to it (`IndexWriter`, `delete_facets`, `rebuild`). The
    // dashboard's statistics with no filter read these few pages instead of grouping the facet
    // table's rows: about 4,000 pages at 100k incidents, each decrypted and its MAC checked on
    // the first view after an unlock, when SQLite's cache is cold (bench: the first pass of the
    // seven statistics took twice as long encrypted as plain). A value no document holds any
    // more has no row: a deleted record's offence text must not stay behind here.
    // `Vault::check` compares the counts with the rows.
    Migration {
        order: 18,
        key: "search/0005_facet_counts",
        sql: "CREATE TABLE search_facet_counts (
              field TEXT NOT NULL,
              value TEXT NOT NULL,
              n INTEGER NOT NULL,
              PRIMARY KEY (field, value)
          ) STRICT, WITHOUT ROWID;
          INSERT INTO search_facet_counts (field, value, n)
              SELECT field, value, count(*) FROM search_facets GROUP BY field, value;",
    },
    // Each record's list row (`search::ListRow`: its label and its kind's list columns, as JSON)
    // and its id, by document, written with the document in the same transaction. A list page
    // reads fifty of these rather than fifty records: the rows of one kind lie together in
    // document order, about 250 bytes each, where the records' bodies (about 1 KB each, in the
    // order they were made, among every other kind's) took 16 of the 25 pages a page deep in a
    // filtered list read. With the id here, a list filtered by one facet value reads the facet's
    // rows and these, and not `search_docs`. An evidence item has no row. `db::migrate` fills
    // the table by rebuilding the index.
    Migration {
        order: 19,
        key: "search/0006_list_rows",
        sql: "CREATE TABLE search_rows (
              doc INTEGER PRIMARY KEY,
              id TEXT NOT NULL,
              row TEXT NOT NULL
          ) STRICT;",
    },
    // List rows kept as JSON arrays rather than objects, and with the time of change only where
    // the kind's list shows it (`search::ListRow::stored`): an incident's row went from about 235
    // bytes to about 105, so a page deep in a filtered list, whose fifty rows lie spread over a
    // range of the table, reads about half the pages. The rows are made again by the index's
    // rebuild (`CREATE_KEYS`); the table is emptied first so that no row of the old shape is
    // left to be read.
    Migration { order: 20, key: "search/0007_compact_list_rows", sql: "DELETE FROM search_rows;" },
    // Facet rows name their value by a number: each value's count row (`search_facet_counts`)
    // gives it an id, and a facet row is (value id, document), about 12 bytes where the facet's
    // and the value's names made it about 40. A bulk insert wrote some 490,000 rows for 100k
    // incidents into the middle of the table's B-tree, each page that filled being rebalanced
    // with its neighbours (a page-sized scratch buffer each time, wiped when freed under memory
    // security): a third as many pages is a third as many rebalances, and a page of a list
    // filtered by a value, or a statistic under a filter, reads a third as many facet pages. The
    // id is found by the value's name, the count row's key, so a value's id lives exactly as
    // long as its count row (while some document holds the value); a new one takes an id above
    // every id in use. `db::migrate` rebuilds the index (`CREATE_KEYS`).
    Migration {
        order: 21,
        key: "search/0008_facet_value_ids",
        sql: "DROP TABLE search_facets;
          DROP TABLE search_facet_counts;
          CREATE TABLE search_facet_counts (
              field TEXT NOT NULL,
              value TEXT NOT NULL,
              id INTEGER NOT NULL,
              n INTEGER NOT NULL,
              PRIMARY KEY (field, value)
          ) STRICT, WITHOUT ROWID;
          CREATE TABLE search_facets (
              value_id INTEGER NOT NULL,
              doc INTEGER NOT NULL,
              PRIMARY KEY (value_id, doc)
          ) STRICT, WITHOUT ROWID;",
    },
    // The documents' days by their numbers alone: a page of a list filtered by dates checked
    // each candidate's day here, about 20 bytes an entry, rather than in its `search_docs` row
    // of some 220 (`vault::search::find_docs` named it). Built from the rows as they were; the
    // index needed no rebuild. Dropped by migration 23, whose facet rows hold the days.
    Migration {
        order: 22,
        key: "search/0009_docs_by_day",
        sql: "CREATE INDEX search_docs_by_day ON search_docs (doc, day);",
    },
    // Days as numbers ([`day_number`]), and each facet row with its document's day. A list
    // filtered by one value and a date range (a province between two years) then walks that
    // value's rows alone, for its page and for its count, where it looked each row's document up
    // for its day: the count of a province's 17,500 incidents over five years took 6 ms warm and
    // now 1.2 ms (`sqlite3 .timer` on the plain build's file at 100k incidents). The number
    // takes 3 bytes in a row where the text took 11. The index of days (migration 22) had no
    // other use worth its cost to every insert: a page filtered by dates alone reads the
    // documents' own rows. `search_docs` is made again for its `day` to be a number (a STRICT
    // table keeps a column's type); `db::migrate` rebuilds the index (`CREATE_KEYS`).
    Migration {
        order: 23,
        key: "search/0010_days_as_numbers",
        sql: "DROP TABLE search_facets;
          DROP TABLE search_docs;
          CREATE TABLE search_docs (
              doc INTEGER PRIMARY KEY,
              target TEXT NOT NULL UNIQUE,
              kind TEXT NOT NULL,
              record_id TEXT NOT NULL,
              facets TEXT NOT NULL DEFAULT '[]',
              day INTEGER
          ) STRICT;
          CREATE INDEX search_docs_by_record ON search_docs(record_id);
          CREATE TABLE search_facets (
              value_id INTEGER NOT NULL,
              doc INTEGER NOT NULL,
              day INTEGER,
              PRIMARY KEY (value_id, doc)
          ) STRICT, WITHOUT ROWID;",
    },
    // The index of documents by record went unread since the first migration: a document is
    // found by its target (the unique index), and `record_id` is only read from a row already
    // found (an evidence item's record, for a link or evidence filter). Every insert still wrote
    // an entry of some 45 bytes to it. Its pages are freed and overwritten (`secure_delete`).
    Migration {
        order: 24,
        key: "search/0011_no_documents_by_record",
        sql: "DROP INDEX IF EXISTS search_docs_by_record;",
    },
    // The index made again with what changed in its words: a compound of words with a digit
    // (`295-C`) is a word of its own too (`search::normalise`), and a charge's section written
    // in other letter case than its entry (`2(1)(D)`, accepted as `2(1)(d)`) now gets the
    // section's value and labels. `db::migrate` rebuilds the index (`CREATE_KEYS`); its list
    // rows are emptied first, as every rebuild makes them again.
    Migration { order: 25, key: "search/0012_compound_words", sql: "DELETE FROM search_rows;" },
];

/// The keys of the migrations that (re)create the index, after which `db::migrate` builds it.
pub(crate) const CREATE_KEYS: &[&str] = &[
    "search/0001_create",
    "search/0003_documents_only",
    "search/0004_bulk_insert",
    "search/0006_list_rows",
    "search/0007_compact_list_rows",
    "search/0008_facet_value_ids",
    "search/0010_days_as_numbers",
    "search/0012_compound_words",
];

/// The number of a partial date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a moment, whose first ten
/// characters are its day as written), in which a part not given counts as 0: `(year × 13 +
/// month) × 32 + day`. Numbers sort as the dates do, a year before its months and a month before
/// its days, which is how date ranges compared the text before (`2018` from `2018`, and
/// `2018-05` not from `2018-05-01`); and a year of four digits takes 3 bytes in a row. `None`
/// for anything else (a record's date is checked when it is saved, so only a change behind the
/// vault's back leaves one): such a document is in no date range.
pub(crate) fn day_number(day: &str) -> Option<i64> {
    let (year, month, day) = date_parts(day)?;
    Some((year * 13 + month.unwrap_or(0)) * 32 + day.unwrap_or(0))
}

/// The number a date range's lower end starts from: [`day_number`], except that a first day of a
/// month counts as its month, and the first month of a year as its year. A range from
/// 2018-01-01 then holds the records known only to be of 2018 or of January 2018, all of whose
/// days are in it (a year or month alone numbers below its first day); one from 2018-03-01 those
/// of March 2018, but not those of 2018 alone, which may be of January.
pub(crate) fn first_day_number(day: &str) -> Option<i64> {
    let (year, month, day) = date_parts(day)?;
    let day = day.filter(|d| *d != 1);
    let month = month.filter(|m| *m != 1 || day.is_some());
    Some((year * 13 + month.unwrap_or(0)) * 32 + day.unwrap_or(0))
}

/// The number of the last day a partial date covers: a year's last month and day, a month's last
/// day (any day of the month sorts at or below 31), a day itself. The upper end of a date range.
pub(crate) fn last_day_number(day: &str) -> Option<i64> {
    let (year, month, day) = date_parts(day)?;
    Some((year * 13 + month.unwrap_or(12)) * 32 + day.unwrap_or(31))
}

/// A record's date, which date ranges filter on: its kind's date field (`model::rules::date_field`).
fn record_date(kind: Kind, body: &Map<String, Value>) -> Option<&str> {
    crate::model::rules::date_field(kind).and_then(|f| body.get(f)).and_then(Value::as_str)
}

/// Whether the index holds another document for `record` than the record makes: other folded
/// words (title or body), facet values, day or kind. False when it holds no document for it
/// (reported on its own). FTS5's own check holds its index to this text, and
/// [`documents_with_wrong_facet_rows`] the facet rows to these values, so a record made
/// unfindable, or moved into another filter, behind the vault's back is seen here.
pub(crate) fn indexed_record_differs(conn: &Connection, labels: &mut LabelCache, record: &Record) -> Result<bool> {
    let doc = document(conn, labels, record)?;
    indexed_differs(conn, &record.id, record.kind().as_str(), &record.id, &doc)
}

/// [`indexed_record_differs`] for an evidence item.
pub(crate) fn indexed_evidence_differs(conn: &Connection, item: &EvidenceItem) -> Result<bool> {
    indexed_differs(conn, &item.id, EVIDENCE, &item.record_id, &evidence_document(item))
}

/// Whether the document the index holds for `target` differs from `doc` (see
/// [`indexed_record_differs`]).
fn indexed_differs(conn: &Connection, target: &str, group: &str, record_id: &str, doc: &Document) -> Result<bool> {
    type Held = (String, String, String, Option<i64>, Option<String>, Option<String>);
    let held: Option<Held> = conn
        .prepare_cached(
            "SELECT d.kind, d.record_id, d.facets, d.day, c.c0, c.c1 FROM search_docs d
             LEFT JOIN search_fts_content c ON c.id = d.doc WHERE d.target = ?1",
        )?
        .query_row([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .optional()?;
    let Some((kind, held_record, facets, day, title, body)) = held else { return Ok(false) };
    let wanted_facets = serde_json::to_string(&doc.facets).map_err(|_| Error::Bug("facet values always serialise"))?;
    Ok(kind != group
        || held_record != record_id
        || facets != wanted_facets
        || day != doc.day
        || title.as_deref() != Some(normalise(&doc.title).as_str())
        || body.as_deref() != Some(doc.folded_body().as_str()))
}

/// The year, month and day a partial date gives, by the shape `is_partial_date` and the records'
/// checks allow: four digits, then `-` and two, then `-` and two; whatever follows a day (a
/// moment's time) is not looked at.
fn date_parts(s: &str) -> Option<(i64, Option<i64>, Option<i64>)> {
    let number = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.as_bytes().get(r)?;
        part.iter().all(u8::is_ascii_digit).then(|| part.iter().fold(0, |n, b| n * 10 + i64::from(b - b'0')))
    };
    let dash = |i: usize| s.as_bytes().get(i) == Some(&b'-');
    // A month or day out of its range would sort among another's numbers.
    let month = || number(5..7).filter(|m| (1..=12).contains(m));
    let day = || number(8..10).filter(|d| (1..=31).contains(d));
    let year = number(0..4)?;
    match s.len() {
        4 => Some((year, None, None)),
        7 if dash(4) => Some((year, Some(month()?), None)),
        n if n >= 10 && dash(4) && dash(7) => Some((year, Some(month()?), Some(day()?))),
        _ => None,
    }
}

/// The SQL expression for the id of a facet's value in the facet rows (migration
/// `search/0008_facet_value_ids`), found by its name: the facet, then the value, as the next two
/// parameters (`?`); NULL for a value no document holds. A macro, so that every statement that
/// finds facet rows by a value is one constant string built with `concat!`.
macro_rules! value_id_of {
    () => {
        "(SELECT id FROM search_facet_counts WHERE field = ? AND value = ?)"
    };
}
pub(crate) use value_id_of;

/// The group an indexed document belongs to: a record's kind, or an evidence item.
pub const EVIDENCE: &str = "evidence";

/// How many documents one group's range of ids holds.
const GROUP_BITS: u32 = 40;

/// The number of a group (1 to 9 for the record kinds, 15 for evidence).
fn group_number(group: &str) -> i64 {
    Kind::ALL.iter().position(|k| k.as_str() == group).map_or(15, |i| i64::try_from(i).unwrap_or(14) + 1)
}

/// The first and last document id of `group`.
pub(crate) fn group_range(group: &str) -> (i64, i64) {
    let lo = group_number(group) << GROUP_BITS;
    (lo, lo + (1 << GROUP_BITS) - 1)
}

/// What a record or an item contributes to the index and to snippets.
#[derive(Debug, Default)]
pub(crate) struct Document {
    /// The title, as written.
    pub title: String,
    /// Its texts as written, in field order, each with whether it may be shown in a snippet (a
    /// person's sensitive fields are searchable but never shown).
    pub texts: Vec<(String, bool)>,
    /// Facet values: `(facet, value)`.
    pub facets: Vec<(&'static str, String)>,
    /// The number of the record's date ([`day_number`]), which date ranges filter on.
    pub day: Option<i64>,
    /// Beside each of `texts`, its folded form when it is already known: a vocabulary label's,
    /// folded once per batch or search by [`LabelCache`] rather than once per record.
    folded: Vec<Option<Rc<str>>>,
}

impl Document {
    fn text(&mut self, s: Option<&str>, shown: bool) {
        if let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) {
            self.texts.push((s.to_owned(), shown));
            self.folded.push(None);
        }
    }

    /// A vocabulary entry's text, shown in snippets, with its folded form.
    fn label(&mut self, label: &LabelText) {
        let text = label.text.trim();
        if !text.is_empty() {
            self.texts.push((text.to_owned(), true));
            self.folded.push(Some(Rc::clone(&label.folded)));
        }
    }

    /// Its texts folded by [`normalise`] and joined by spaces: the full-text index's body.
    fn folded_body(&self) -> String {
        let mut body = String::with_capacity(self.texts.iter().map(|(t, _)| t.len() + 1).sum());
        for (i, (text, _)) in self.texts.iter().enumerate() {
            match self.folded.get(i).and_then(Option::as_deref) {
                Some(known) if !known.is_empty() => {
                    if !body.is_empty() {
                        body.push(' ');
                    }
                    body.push_str(known);
                }
                Some(_) => {}
                None => normalise_into(text, &mut body),
            }
        }
        body
    }
}

/// One of a vocabulary entry's texts, as written and folded.
#[derive(Debug)]
struct LabelText {
    text: String,
    folded: Rc<str>,
}

/// The labels of a vocabulary entry, English then Urdu.
fn labels(conn: &Connection, vocab: &str, code: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT en, ur FROM vocab WHERE vocab = ?1 AND code = ?2")?
        .query_row([vocab, code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// A section's entry code from a charge (`ppc_1860` and `295-C`): by its code, or as the statute
/// writes it (`extra.section`).
fn section_code(conn: &Connection, statute: &str, section: &str) -> Result<Option<String>> {
    let code = format!("{statute}.{}", section.to_lowercase());
    if labels(conn, "sections", &code)?.is_some() {
        return Ok(Some(code));
    }
    Ok(conn
        .prepare_cached(
            // In any case of letters, as validation accepts it (`Lookup::section_as_written`).
            "SELECT code FROM vocab WHERE vocab = 'sections' AND parent = ?1
             AND lower(json_extract(extra, '$.section')) = lower(?2)",
        )?
        .query_row([statute, section], |r| r.get(0))
        .optional()?)
}

/// The facet a field's value is counted under, if any (`block` is a case's details block).
fn facet_of(kind: Kind, block: Option<&str>, field: &str) -> Option<&'static str> {
    Some(match (kind, block, field) {
        (_, None, "province") => "province",
        (_, None, "district") => "district",
        (_, None, "incident_types") => "incident_type",
        (_, None, "perpetrator_types") => "perpetrator_type",
        (_, None, "court") => "court",
        (Kind::Threat, None, "channel") => "channel",
        (Kind::Case, None, "case_kind") => "case_kind",
        (Kind::Case | Kind::Threat | Kind::Referral, None, "status") => "status",
        (Kind::Case, Some("detention_abroad"), "country") => "country",
        (Kind::Case, Some("detention_abroad"), "legal_status") => "legal_status",
        (Kind::Case, Some("detention_abroad"), "charge") => "offence",
        _ => return None,
    })
}

/// The text an offence is counted under: as written, spaces collapsed, up to 200 characters.
fn offence_value(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}

/// What `record` contributes to the index, its vocabulary entries' texts taken from `labels`.
pub(crate) fn document(conn: &Connection, labels: &mut LabelCache, record: &Record) -> Result<Document> {
    document_of(conn, labels, record, &record.data.to_json())
}

/// [`document`], the record's `body` (its JSON) already made.
fn document_of(
    conn: &Connection,
    labels: &mut LabelCache,
    record: &Record,
    body: &Map<String, Value>,
) -> Result<Document> {
    let kind = record.kind();
    let mut doc = Document { title: record.data.label(), ..Document::default() };
    // A person's label never shows a name; a withheld label is not text of the record.
    if record.data.name_withheld() {
        doc.title.clear();
    }
    let anonymous = matches!(&record.data, crate::model::RecordData::Person(p) if p.anonymous);
    let rules = kind_rules(kind);
    walk(conn, labels, kind, None, &rules.fields, body, anonymous, &mut doc)?;
    for block in &rules.blocks {
        if let Some(Value::Object(inner)) = body.get(block.name) {
            walk(conn, labels, kind, Some(block.name), &block.fields, inner, anonymous, &mut doc)?;
        }
    }
    if let Some(day) = record_date(kind, body) {
        doc.day = day_number(day);
        if day.len() >= 7 {
            doc.facets.push(("month", day[..7].to_owned()));
        }
    }
    Ok(doc)
}

/// The texts a vocabulary entry adds to a document (its labels, then its attributes' words),
/// looked up once per entry for many documents: a search's hits or a batch's records share most
/// of their entries, and each lookup is a query and a parse of the entry's JSON attributes.
///
/// A cache lives for one search or one batch only, so a label changed afterwards is never served
/// stale.
#[derive(Debug, Default)]
pub(crate) struct LabelCache {
    entries: HashMap<(String, String), Rc<[LabelText]>>,
    sections: HashMap<(String, String), Option<String>>,
}

impl LabelCache {
    /// The texts of `vocab`'s entry `code` (none if there is no such entry).
    fn texts(&mut self, conn: &Connection, vocab: &str, code: &str) -> Result<Rc<[LabelText]>> {
        if let Some(found) = self.entries.get(&(vocab.to_owned(), code.to_owned())) {
            return Ok(Rc::clone(found));
        }
        let texts: Rc<[LabelText]> = entry_texts(conn, vocab, code)?
            .into_iter()
            .map(|text| LabelText { folded: normalise(&text).into(), text })
            .collect();
        self.entries.insert((vocab.to_owned(), code.to_owned()), Rc::clone(&texts));
        Ok(texts)
    }

    /// [`section_code`], remembered.
    fn section(&mut self, conn: &Connection, statute: &str, section: &str) -> Result<Option<String>> {
        let key = (statute.to_owned(), section.to_owned());
        if let Some(found) = self.sections.get(&key) {
            return Ok(found.clone());
        }
        let code = section_code(conn, statute, section)?;
        self.sections.insert(key, code.clone());
        Ok(code)
    }
}

/// An entry's labels, and the words its attributes give people to find it by (a statute's short
/// name, a section's note and keywords), in that order.
fn entry_texts(conn: &Connection, vocab: &str, code: &str) -> Result<Vec<String>> {
    // The attributes are read from `extra` here rather than by `json_extract` in the query:
    // every allocation SQLite makes is wiped when freed under SQLCipher's memory security, and parsing
    // JSON in SQL made several per label of every record indexed.
    let found: Option<(String, String, Option<String>)> = conn
        .prepare_cached("SELECT en, ur, extra FROM vocab WHERE vocab = ?1 AND code = ?2")?
        .query_row([vocab, code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((en, ur, extra)) = found else { return Ok(Vec::new()) };
    let mut texts = vec![en, ur];
    let extra: Option<Map<String, Value>> = extra.and_then(|e| serde_json::from_str(&e).ok());
    for key in ["short", "note", "keywords"] {
        match extra.as_ref().and_then(|e| e.get(key)) {
            Some(Value::String(s)) => texts.push(s.clone()),
            // A list of keywords is indexed as its JSON text, as `json_extract` gave it; the
            // folding keeps only its words.
            Some(v) if !v.is_null() => texts.push(v.to_string()),
            _ => {}
        }
    }
    Ok(texts)
}

/// Adds an entry's labels and the words of its attributes to `doc`.
fn push_labels(conn: &Connection, labels: &mut LabelCache, doc: &mut Document, vocab: &str, code: &str) -> Result<()> {
    for text in labels.texts(conn, vocab, code)?.iter() {
        doc.label(text);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn walk(
    conn: &Connection,
    labels: &mut LabelCache,
    kind: Kind,
    block: Option<&str>,
    fields: &[FieldRule],
    body: &Map<String, Value>,
    anonymous: bool,
    doc: &mut Document,
) -> Result<()> {
    for field in fields {
        let Some(value) = body.get(field.name).filter(|v| !v.is_null()) else { continue };
        let facet = facet_of(kind, block, field.name);
        match &field.value {
            ValueRule::ShortText { .. } | ValueRule::LongText { .. } | ValueRule::Cnic | ValueRule::Phone { .. } => {
                // An anonymous person's identifying fields stay out of the index altogether.
                if field.sensitive && anonymous {
                    continue;
                }
                let text = value.as_str();
                doc.text(text, !field.sensitive);
                if let (Some(f), Some(t)) = (facet, text) {
                    doc.facets.push((f, offence_value(t)));
                }
            }
            ValueRule::Vocabulary { vocab, .. } => {
                if let Some(code) = value.as_str() {
                    push_labels(conn, labels, doc, vocab, code)?;
                    if let Some(f) = facet {
                        doc.facets.push((f, code.to_owned()));
                    }
                }
            }
            ValueRule::VocabularyList { vocab } => {
                for code in value.as_array().into_iter().flatten().filter_map(Value::as_str) {
                    push_labels(conn, labels, doc, vocab, code)?;
                    if let Some(f) = facet {
                        doc.facets.push((f, code.to_owned()));
                    }
                }
            }
            ValueRule::CaseStatus => {
                if let Some(code) = value.as_str() {
                    push_labels(conn, labels, doc, "case_statuses", code)?;
                    doc.facets.push(("status", code.to_owned()));
                }
            }
            ValueRule::Choice { of, .. } => {
                if let Some(code) = value.as_str() {
                    // A case's kind has its labels in a vocabulary; other sets' labels live in
                    // the user interface, so only their facet is kept.
                    if *of == Choice::CaseKind {
                        push_labels(conn, labels, doc, "case_kinds", code)?;
                    }
                    if let Some(f) = facet {
                        doc.facets.push((f, code.to_owned()));
                    }
                }
            }
            ValueRule::Charges => {
                for charge in value.as_array().into_iter().flatten() {
                    let statute = charge.get("statute").and_then(Value::as_str).unwrap_or_default();
                    let section = charge.get("section").and_then(Value::as_str).unwrap_or_default();
                    push_labels(conn, labels, doc, "statutes", statute)?;
                    doc.facets.push(("statute", statute.to_owned()));
                    doc.text(Some(section), true);
                    if let Some(code) = labels.section(conn, statute, section)? {
                        push_labels(conn, labels, doc, "sections", &code)?;
                        doc.facets.push(("section", code));
                    }
                }
            }
            ValueRule::BailEvents { .. } => {
                for event in value.as_array().into_iter().flatten() {
                    if let Some(court) = event.get("court").and_then(Value::as_str) {
                        push_labels(conn, labels, doc, "courts", court)?;
                    }
                    for f in ["surety", "conditions", "order"] {
                        doc.text(event.get(f).and_then(Value::as_str), true);
                    }
                }
            }
            // Dates, numbers, flags, ids and the status history are not text.
            _ => {}
        }
    }
    Ok(())
}

/// What an evidence item contributes: its file name, source and notes.
pub(crate) fn evidence_document(item: &EvidenceItem) -> Document {
    let mut doc = Document { title: item.original_name.clone().unwrap_or_default(), ..Document::default() };
    doc.text(item.source.as_deref(), true);
    doc.text(item.acquired_by.as_deref(), true);
    doc.text(item.notes.as_deref(), true);
    doc
}

/// A document's number, or a value's id, with the document's day: what a facet row holds besides.
type DocumentDay = (i64, Option<i64>);

/// The index writes of one change or of one batch of new records (`Vault::add_batch`).
///
/// It remembers vocabulary labels ([`LabelCache`]) and the next document id of each group for
/// as long as it lives, and when made by [`IndexWriter::deferring`] it keeps the batch's facet
/// rows until [`IndexWriter::finish`], which writes them value by value in the table's order. Written one
/// record at a time, a record's six or so facet rows land at six places spread over the facet
/// table's B-tree, and nearly every page they land on soon overflows and is rebalanced with its
/// neighbours; under SQLCipher's memory security every rebalance allocates, locks, wipes and
/// unlocks page-sized buffers (profiled: the largest single cost of an encrypted insert).
/// Gathered by value, each value's new rows go in together at its end.
///
/// Only a batch that writes nothing but new records may defer: a change to a record whose facet
/// rows were still pending would leave the old rows to be written after it.
#[derive(Debug, Default)]
pub(crate) struct IndexWriter {
    labels: LabelCache,
    /// The vocabulary entries the records' validation read (see [`IndexWriter::lookup`]).
    vocab: crate::store::vocab::VocabMemo,
    /// The next free document id of each group, once read; only ids this writer hands out are
    /// taken after it is read, since one writer serves one transaction.
    next_doc: HashMap<&'static str, i64>,
    /// Whether facet rows wait for [`IndexWriter::finish`].
    deferring: bool,
    /// Facet rows not yet written, by facet and value: each value's documents, with their days.
    /// Gathered by value as they come, so that [`IndexWriter::finish`] sorts a few numbers per
    /// value rather than every row by its facet's and value's names (a twentieth of an
    /// encrypted bulk insert's time went on that sort and its string comparisons: `perf`,
    /// 2026-12-03).
    pending: HashMap<&'static str, HashMap<String, Vec<DocumentDay>>>,
    /// The id the next new facet value takes, once read (see [`IndexWriter::value_id`]).
    next_value_id: Option<i64>,
}

impl IndexWriter {
    /// A writer that keeps a batch's facet rows until [`IndexWriter::finish`].
    pub(crate) fn deferring() -> Self {
        Self { deferring: true, ..Self::default() }
    }

    /// What validating the records this writer indexes asks of `conn`, with the vocabulary
    /// entries remembered for as long as the writer lives (like its labels).
    pub(crate) fn lookup<'a>(&'a self, conn: &'a Connection) -> crate::store::vocab::MemoLookup<'a> {
        self.vocab.lookup(conn)
    }

    /// Forgets the vocabulary entries and labels remembered so far, after an entry was added in
    /// the writer's transaction (an import's `vocab` line).
    pub(crate) fn forget_vocabulary(&mut self) {
        self.labels = LabelCache::default();
        self.vocab = crate::store::vocab::VocabMemo::default();
    }

    /// Indexes a record (new or changed).
    pub(crate) fn record(&mut self, conn: &Connection, record: &Record) -> Result<()> {
        self.put_record(conn, record, Existing::Maybe)
    }

    /// Indexes a record the index cannot hold yet: one just inserted into `records`, whose id
    /// no other record had (the unique `target` still refuses a second document for it).
    pub(crate) fn new_record(&mut self, conn: &Connection, record: &Record) -> Result<()> {
        self.put_record(conn, record, Existing::No)
    }

    /// Writes a record's document and list row, its body made once for both.
    fn put_record(&mut self, conn: &Connection, record: &Record, existing: Existing) -> Result<()> {
        let body = record.data.to_json();
        let doc = document_of(conn, &mut self.labels, record, &body)?;
        let row = ListRow::with_body(record, &body).stored();
        self.put(conn, record.kind().as_str(), &record.id, &record.id, &doc, Some(&row), existing)
    }

    /// Writes the facet rows kept back, sorted, in the caller's transaction: value by value in
    /// the order of their ids, which is the facet table's, each value's id looked up (or given,
    /// in the order of the values' names, so that a vault built twice gets the same ids) and its
    /// count raised once per batch rather than once per row.
    pub(crate) fn finish(mut self, conn: &Connection) -> Result<()> {
        let mut values: Vec<(&'static str, String, Vec<DocumentDay>)> = std::mem::take(&mut self.pending)
            .into_iter()
            .flat_map(|(field, values)| values.into_iter().map(move |(value, docs)| (field, value, docs)))
            .collect();
        values.sort_unstable_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        let mut runs = Vec::with_capacity(values.len());
        for (field, value, mut docs) in values {
            // A value whose only documents were indexed again (and so taken out) gets no id.
            if docs.is_empty() {
                continue;
            }
            // A batch may hold records of several kinds, whose documents lie in ranges of their
            // own; and a value listed twice by one record (two charges under one statute) is one
            // row, counted once.
            docs.sort_unstable();
            docs.dedup();
            runs.push((self.value_id(conn, field, &value)?, field, value, docs));
        }
        runs.sort_unstable_by_key(|run| run.0);
        let mut facet =
            conn.prepare_cached("INSERT OR IGNORE INTO search_facets (value_id, doc, day) VALUES (?1, ?2, ?3)")?;
        for (id, field, value, docs) in &runs {
            let mut added = 0;
            for (doc, day) in docs {
                added += i64::try_from(facet.execute((id, doc, day))?).unwrap_or(0);
            }
            add_to_count(conn, field, value, added)?;
        }
        Ok(())
    }

    /// The id of `field`'s `value` in the facet rows: its count row's, or, for a value no
    /// document holds yet, a new id above every id in use, given to a new count row of 0 (which
    /// the caller raises in the same transaction), so a new value never takes an id some facet
    /// row still holds.
    fn value_id(&mut self, conn: &Connection, field: &str, value: &str) -> Result<i64> {
        let known: Option<i64> =
            conn.prepare_cached(concat!("SELECT ", value_id_of!()))?.query_row((field, value), |r| r.get(0))?;
        if let Some(id) = known {
            return Ok(id);
        }
        let id = match self.next_value_id {
            Some(id) => id,
            None => conn
                .prepare_cached(
                    "SELECT max(coalesce((SELECT max(id) FROM search_facet_counts), 0),
                                coalesce((SELECT max(value_id) FROM search_facets), 0)) + 1",
                )?
                .query_row([], |r| r.get(0))?,
        };
        self.next_value_id = Some(id + 1);
        conn.prepare_cached("INSERT INTO search_facet_counts (field, value, id, n) VALUES (?1, ?2, ?3, 0)")?
            .execute((field, value, id))?;
        Ok(id)
    }

    /// Writes `doc` for `target` (a record's or an item's id) under `group`, with a record's list
    /// `row` (see [`ListRow::stored`]), replacing what the index held for it.
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        conn: &Connection,
        group: &'static str,
        target: &str,
        record_id: &str,
        doc: &Document,
        row: Option<&str>,
        existing: Existing,
    ) -> Result<()> {
        let existing: Option<i64> = match existing {
            Existing::No => None,
            Existing::Maybe => document_of_target(conn, target)?,
        };
        let facets = serde_json::to_string(&doc.facets).map_err(|_| Error::Bug("facet values always serialise"))?;
        let id = if let Some(id) = existing {
            conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([id])?;
            delete_facets(conn, id)?;
            conn.prepare_cached("UPDATE search_docs SET record_id = ?2, facets = ?3, day = ?4 WHERE doc = ?1")?
                .execute((id, record_id, &facets, &doc.day))?;
            for docs in self.pending.values_mut().flat_map(HashMap::values_mut) {
                docs.retain(|(d, _)| *d != id);
            }
            id
        } else {
            let id = self.next_doc(conn, group)?;
            conn.prepare_cached(
                "INSERT INTO search_docs (doc, target, kind, record_id, facets, day) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute((id, target, group, record_id, &facets, &doc.day))?;
            id
        };
        conn.prepare_cached("INSERT INTO search_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?.execute((
            id,
            normalise(&doc.title),
            doc.folded_body(),
        ))?;
        if let Some(row) = row {
            conn.prepare_cached("INSERT OR REPLACE INTO search_rows (doc, id, row) VALUES (?1, ?2, ?3)")?
                .execute((id, target, row))?;
        }
        if self.deferring {
            for (field, value) in &doc.facets {
                let values = self.pending.entry(field).or_default();
                if let Some(docs) = values.get_mut(value.as_str()) {
                    docs.push((id, doc.day));
                } else {
                    values.insert(value.clone(), vec![(id, doc.day)]);
                }
            }
        } else {
            for (field, value) in &doc.facets {
                let value_id = self.value_id(conn, field, value)?;
                // A value listed twice (two charges under one statute) is one row, counted once.
                let inserted = conn
                    .prepare_cached("INSERT OR IGNORE INTO search_facets (value_id, doc, day) VALUES (?1, ?2, ?3)")?
                    .execute((value_id, id, doc.day))?;
                if inserted > 0 {
                    add_to_count(conn, field, value, 1)?;
                }
            }
        }
        Ok(())
    }

    /// The next document id of `group`, above every id it has held.
    fn next_doc(&mut self, conn: &Connection, group: &'static str) -> Result<i64> {
        let (lo, hi) = group_range(group);
        let id = if let Some(next) = self.next_doc.get(group) {
            *next
        } else {
            let last: Option<i64> = conn
                .prepare_cached("SELECT max(doc) FROM search_docs WHERE doc BETWEEN ?1 AND ?2")?
                .query_row([lo, hi], |r| r.get(0))?;
            last.map_or(lo, |l| l + 1)
        };
        if id > hi {
            return Err(Error::Bug("the search index ran out of document ids"));
        }
        self.next_doc.insert(group, id + 1);
        Ok(id)
    }
}

/// Whether the index may already hold a document for a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    /// It may: look for it, and replace it if found.
    Maybe,
    /// It cannot: the target was just made.
    No,
}

/// FTS5's own default for how many segments of one level it merges as it goes.
const AUTOMERGE: i64 = 4;
/// The fewest and the most pages of merging a batch does at its end.
const BATCH_MERGE_PAGES: (i64, i64) = (64, 2_000);
/// How many documents of a batch call for one page of merging at its end.
const DOCUMENTS_PER_MERGE_PAGE: i64 = 10;

/// Stops FTS5 merging its segments while each document of a batch is written, inside the
/// batch's transaction (so a batch that fails leaves the setting as it was). Merging as it goes
/// cost a sixth of a batch's time (bench: encrypted inserts 5.3-5.6k/s with it, 6.4-6.8k/s
/// without); FTS5's crisis merge still bounds how many segments pile up within a batch.
pub(crate) fn defer_merges(conn: &Connection) -> Result<()> {
    conn.prepare_cached("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', ?1)")?.execute([0])?;
    Ok(())
}

/// Turns merging back on after [`defer_merges`] and merges, in the same transaction, in
/// proportion to the batch's `documents`: a tenth of a page each, 64 to 2,000 pages. The merge
/// is FTS5's negative `merge`, which also merges segments of different levels (an `optimize`
/// in bounded steps): every segment left is one more B-tree a query looks each word up in, and a
/// bulk load of 160k records left enough of them to double a search's time (bench, measured on
/// the same data: search 'raid' 7.5 -> 3.7 ms, 'پولیس' 8.8 -> 6.2 ms; the merge of all of it
/// took 0.3 s).
pub(crate) fn merge_deferred(conn: &Connection, documents: usize) -> Result<()> {
    conn.prepare_cached("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', ?1)")?.execute([AUTOMERGE])?;
    let pages = (i64::try_from(documents).unwrap_or(i64::MAX) / DOCUMENTS_PER_MERGE_PAGE)
        .clamp(BATCH_MERGE_PAGES.0, BATCH_MERGE_PAGES.1);
    conn.prepare_cached("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?1)")?.execute([-pages])?;
    Ok(())
}

/// Indexes a record (new or changed) on its own.
pub(crate) fn index_record(conn: &Connection, record: &Record) -> Result<()> {
    IndexWriter::default().record(conn, record)
}

/// Indexes an evidence item.
pub(crate) fn index_evidence(conn: &Connection, item: &EvidenceItem) -> Result<()> {
    IndexWriter::default().put(
        conn,
        EVIDENCE,
        &item.id,
        &item.record_id,
        &evidence_document(item),
        None,
        Existing::Maybe,
    )
}

/// Removes a record's or an item's document.
pub(crate) fn remove(conn: &Connection, target: &str) -> Result<()> {
    if let Some(id) = document_of_target(conn, target)? {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([id])?;
        delete_facets(conn, id)?;
        conn.prepare_cached("DELETE FROM search_rows WHERE doc = ?1")?.execute([id])?;
        conn.prepare_cached("DELETE FROM search_docs WHERE doc = ?1")?.execute([id])?;
    }
    Ok(())
}

/// Deletes document `id`'s facet rows, found by the list its `search_docs` row keeps (the
/// facet table has no index by document: see migration `search/0004_bulk_insert`) and each
/// value's id. A value whose count row was removed behind the vault's back has no id to find
/// its rows by: they stay, holding no text, until the index is rebuilt, and `Vault::check`
/// reports them; the delete or edit goes ahead.
fn delete_facets(conn: &Connection, id: i64) -> Result<()> {
    let listed: String =
        conn.prepare_cached("SELECT facets FROM search_docs WHERE doc = ?1")?.query_row([id], |r| r.get(0))?;
    // The list is written only by this module; one that does not parse was changed behind the
    // vault's back.
    let facets: Vec<(String, String)> = serde_json::from_str(&listed).map_err(|_| Error::CorruptDatabase)?;
    let mut delete =
        conn.prepare_cached(concat!("DELETE FROM search_facets WHERE value_id = ", value_id_of!(), " AND doc = ?"))?;
    for (field, value) in &facets {
        if delete.execute((field, value, id))? > 0 {
            add_to_count(conn, field, value, -1)?;
        }
    }
    Ok(())
}

/// Adds `by` (negative to take away) to the count of documents holding `field`'s `value`, whose
/// count row [`IndexWriter::value_id`] made, and drops the row (with the value's name and id)
/// once no document holds the value (see migration `search/0005_facet_counts`).
///
/// A plain update, never an `INSERT … ON CONFLICT DO UPDATE … RETURNING`: SQLite runs
/// `RETURNING` as a trigger, and a statement with a trigger inside a transaction gets a
/// statement journal, whose chunks under SQLCipher's memory security are each wiped (see
/// migration `records/0003_count_inserts_in_code`). Measured with the upsert, a batch's counts
/// cost 5-7% of an encrypted bulk insert.
fn add_to_count(conn: &Connection, field: &str, value: &str, by: i64) -> Result<()> {
    if by == 0 {
        return Ok(());
    }
    conn.prepare_cached("UPDATE search_facet_counts SET n = n + ?3 WHERE field = ?1 AND value = ?2")?
        .execute((field, value, by))?;
    if by < 0 {
        // A count that falls to zero loses its row; one that falls below was changed behind the
        // vault's back: `Vault::check` reports it, and the delete or edit (which may be urgent)
        // goes ahead.
        conn.prepare_cached("DELETE FROM search_facet_counts WHERE field = ?1 AND value = ?2 AND n <= 0")?
            .execute((field, value))?;
    }
    Ok(())
}

/// Builds the whole index again from the records and evidence items: when the index is created
/// in an existing vault, and when vocabulary labels change (every label is in the index).
pub(crate) fn rebuild(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "DELETE FROM search_facets;
         DELETE FROM search_facet_counts;
         DELETE FROM search_rows;
         DELETE FROM search_docs;
         DELETE FROM search_fts;",
    )?;
    // Everything is new to the emptied index, and nothing else writes while it is built, so
    // the facet rows wait and are written sorted (see `IndexWriter`).
    let mut writer = IndexWriter::deferring();
    crate::records::for_each(conn, |r| writer.new_record(conn, &r))?;
    for row in crate::store::evidence::list(conn, None)? {
        let item = &row.item;
        writer.put(conn, EVIDENCE, &item.id, &item.record_id, &evidence_document(item), None, Existing::No)?;
    }
    writer.finish(conn)
}

/// How many documents' facet rows are not exactly the values their `search_docs` row lists, each
/// by its count row's id, with the document's day: rows missing, added, left without a document,
/// moved to another value, or holding another day. Two values whose ids and counts were swapped
/// behind the vault's back keep every count true, yet a filter by one then lists the other's
/// records, and a row's day changed puts its record in a date range it is not in; only this
/// comparison sees either. A listing that does not parse, or names a value with no count row,
/// makes its document wrong.
pub(crate) fn documents_with_wrong_facet_rows(conn: &Connection) -> Result<u64> {
    let ids: HashMap<(String, String), i64> = conn
        .prepare("SELECT field, value, id FROM search_facet_counts")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // Each document's facet rows as its listing says they should be: (value id, day).
    let mut listed: HashMap<i64, Option<Vec<DocumentDay>>> = HashMap::new();
    let mut docs = conn.prepare("SELECT doc, facets, day FROM search_docs")?;
    let mut rows = docs.query([])?;
    while let Some(row) = rows.next()? {
        let (doc, facets, day): (i64, String, Option<i64>) = (row.get(0)?, row.get(1)?, row.get(2)?);
        let wanted = serde_json::from_str::<Vec<(String, String)>>(&facets).ok().and_then(|pairs| {
            let mut wanted: Vec<DocumentDay> =
                pairs.into_iter().map(|pair| ids.get(&pair).map(|id| (*id, day))).collect::<Option<_>>()?;
            wanted.sort_unstable();
            wanted.dedup();
            Some(wanted)
        });
        listed.insert(doc, wanted);
    }
    // The primary key's order is (value id, document), so each document's ids arrive sorted.
    let mut held: HashMap<i64, Vec<DocumentDay>> = HashMap::new();
    let mut facets = conn.prepare("SELECT value_id, doc, day FROM search_facets")?;
    let mut rows = facets.query([])?;
    while let Some(row) = rows.next()? {
        held.entry(row.get(1)?).or_default().push((row.get(0)?, row.get(2)?));
    }
    let mut wrong = 0_u64;
    for (doc, wanted) in &listed {
        let has = held.remove(doc).unwrap_or_default();
        if wanted.as_ref() != Some(&has) {
            wrong += 1;
        }
    }
    // Rows of documents the index does not hold.
    Ok(wrong + held.len() as u64)
}

/// The list rows of the documents `docs` (records of `kind`), in that order.
pub(crate) fn list_rows(conn: &Connection, kind: Kind, docs: &[i64]) -> Result<Vec<ListRow>> {
    let mut stmt = conn.prepare_cached("SELECT id, row FROM search_rows WHERE doc = ?1")?;
    docs.iter()
        .map(|doc| {
            let found: Option<(String, String)> = stmt.query_row([doc], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
            // A record's document without its row was changed behind the vault's back.
            let (id, row) = found.ok_or(Error::CorruptDatabase)?;
            ListRow::from_stored(id, kind, &row)
        })
        .collect()
}

/// The list row the index keeps for record `id`, empty when it holds the record's document but
/// no row of this id (never a row's JSON); `None` when it holds no document for it.
pub(crate) fn stored_row(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(r.row, '') FROM search_docs d LEFT JOIN search_rows r ON r.doc = d.doc AND r.id = d.target
             WHERE d.target = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The document the index holds for `target` (a record's or an item's id), if any.
pub(crate) fn document_of_target(conn: &Connection, target: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT doc FROM search_docs WHERE target = ?1")?
        .query_row([target], |r| r.get(0))
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::{day_number, first_day_number, last_day_number};

    /// Date ranges compared the days' text (`day >= from AND day <= to || '~'`) before days were
    /// numbers: every day of every shape is in exactly the ranges it was in, against bounds of
    /// every shape, a moment's day included, and a malformed day is in none; except that a lower
    /// end on a first day or month now holds the year or month it begins (`first_day_number`).
    #[test]
    fn day_numbers_keep_every_day_in_the_ranges_its_text_was_in() {
        let mut days: Vec<String> = Vec::new();
        for year in ["0999", "2017", "2018", "2019", "9999"] {
            days.push(year.to_owned());
            for month in ["01", "02", "09", "10", "12"] {
                days.push(format!("{year}-{month}"));
                for day in ["01", "09", "10", "28", "31"] {
                    days.push(format!("{year}-{month}-{day}"));
                }
            }
        }
        let moments = ["2018-02-09T23:59:00+05:00", "2018-12-31T00:00:00Z"];
        for from in &days {
            for to in &days {
                let upper = format!("{to}~");
                let (lo, hi) = (first_day_number(from).expect("from"), last_day_number(to).expect("to"));
                // A lower end on the first of a month is its month, and on the first month of a
                // year its year (`first_day_number`).
                let mut lower = from.as_str();
                for _ in 0..2 {
                    lower = lower.strip_suffix("-01").unwrap_or(lower);
                }
                for day in days.iter().map(String::as_str).chain(moments) {
                    let by_text = day >= lower && day <= upper.as_str();
                    let n = day_number(day).expect("day");
                    assert_eq!(by_text, (lo..=hi).contains(&n), "{day} in {from}..{to}");
                }
            }
        }
        for bad in [
            "",
            "201",
            "20180",
            "2018-1",
            "2018/01/02",
            "2018-01-2x",
            "abcd",
            "2018-13",
            "2018-00",
            "2018-01-32",
            "2018-01-00",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }
}
