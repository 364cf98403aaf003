//! Search, filtered lists, facet counts, statistics and saved searches, over the index kept by
//! `store/search.rs`.
//!
//! Results are not ranked by relevance: ranking every match of a common word would cost more
//! than the few milliseconds a keystroke may take. Records selected by filters alone come newest
//! first; records matching words come in the order they entered the index (see `find`), in a
//! search those holding the last word whole first (see `Vault::search`).

use std::fmt::Write as _;

use rusqlite::Connection;
use rusqlite::types::Value as SqlValue;

use super::{MAX_PAGE, Vault};
use crate::error::{Error, Invalid, Reason, Result};
use crate::model::{Kind, normalise_id};
use crate::records::{self, Record};
use crate::search::normalise::{Query, QueryProblem, words};
use crate::search::{Count, Facet, Filters, Hit, HitGroup, ListPage, ListRow, SavedSearch, Segment};
use crate::store::search::{self as index, EVIDENCE, group_range, value_id_of};
use crate::store::vocab::VocabLabels;

/// The most values one facet filter may list.
pub const MAX_FILTER_VALUES: usize = 100;
/// The longest facet value a filter may give, in characters.
pub const MAX_FILTER_VALUE_CHARS: usize = 200;
/// The most hits a search returns per kind.
pub const MAX_HITS_PER_KIND: usize = 100;
/// The longest name of a saved search, in characters.
pub const MAX_SAVED_NAME_CHARS: usize = 100;
/// The most saved searches a vault keeps.
pub const MAX_SAVED_SEARCHES: usize = 200;
/// How many words of context a snippet shows on each side of the first match.
const SNIPPET_WORDS: usize = 8;

fn parse_query(typed: &str) -> Result<Query> {
    Query::parse(typed).map_err(|QueryProblem::TooLong| {
        Invalid::field(
            "query",
            Reason::TooLong,
            format!(
                "is too long: at most {} characters and {} words",
                crate::search::normalise::MAX_QUERY_CHARS,
                crate::search::normalise::MAX_QUERY_WORDS
            ),
        )
        .into()
    })
}

/// Whether `s` is a date as the filters take it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_partial_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Checks filters given from outside (the command line, the window, a saved search).
fn check_filters(filters: &Filters) -> Result<()> {
    for f in &filters.facets {
        if f.facet == Facet::Kind && f.values.iter().any(|v| v != EVIDENCE && Kind::parse(v).is_none()) {
            return Err(Invalid::field(
                "kind",
                Reason::NotInVocabulary,
                "expected a kind of record (person … task) or evidence",
            )
            .into());
        }
        if f.values.len() > MAX_FILTER_VALUES
            || f.values.iter().any(|v| v.chars().count() > MAX_FILTER_VALUE_CHARS || v.contains('\0'))
        {
            return Err(Invalid::field(
                f.facet.as_str(),
                Reason::TooLong,
                format!("at most {MAX_FILTER_VALUES} values of at most {MAX_FILTER_VALUE_CHARS} characters"),
            )
            .into());
        }
    }
    for (field, d) in [("date_from", &filters.date_from), ("date_to", &filters.date_to)] {
        if let Some(d) = d
            && !is_partial_date(d)
        {
            return Err(Invalid::field(field, Reason::NotAPartialDate, "expected YYYY, YYYY-MM or YYYY-MM-DD").into());
        }
    }
    Ok(())
}

/// The SQL condition on `d` (a `search_docs` row) for the filters and, unless `with_text` is
/// false (the caller matches the text itself), the query; `skip` leaves one facet's filter out
/// (a facet's own counts ignore its own filter, so its other values stay visible).
fn condition(
    query: &Query,
    filters: &Filters,
    skip: Option<Facet>,
    with_text: bool,
    params: &mut Vec<SqlValue>,
) -> String {
    let mut c = String::from("1");
    if with_text && !query.is_empty() {
        c.push_str(" AND d.doc IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)");
        params.push(SqlValue::Text(query.fts_expression()));
    }
    for f in &filters.facets {
        if f.values.is_empty() || Some(f.facet) == skip {
            continue;
        }
        let marks = vec!["?"; f.values.len()].join(", ");
        if f.facet == Facet::Kind {
            let _ = write!(c, " AND d.kind IN ({marks})");
        } else {
            let _ = write!(
                c,
                " AND EXISTS (SELECT 1 FROM search_facet_counts k JOIN search_facets f ON f.value_id = k.id
                      WHERE k.field = ? AND k.value IN ({marks}) AND f.doc = d.doc)"
            );
            params.push(SqlValue::Text(f.facet.as_str().to_owned()));
        }
        params.extend(f.values.iter().map(|v| SqlValue::Text(v.clone())));
    }
    if filters.date_from.is_some() || filters.date_to.is_some() {
        // A month or a year as the upper bound includes all of it: `~` sorts after every digit
        // and `-`.
        let from = filters.date_from.clone().unwrap_or_default();
        let to = filters.date_to.as_ref().map_or_else(|| "~".to_owned(), |t| format!("{t}~"));
        c.push_str(" AND d.day >= ? AND d.day <= ?");
        params.push(SqlValue::Text(from));
        params.push(SqlValue::Text(to));
    }
    if let Some(other) = &filters.linked_to {
        let other = normalise_id(other);
        c.push_str(
            " AND (EXISTS (SELECT 1 FROM links l WHERE l.from_id = d.record_id AND l.to_id = ?)
                OR EXISTS (SELECT 1 FROM links l WHERE l.to_id = d.record_id AND l.from_id = ?)
                OR EXISTS (SELECT 1 FROM records r WHERE r.id = d.record_id AND r.parent_id = ?))",
        );
        params.extend([SqlValue::Text(other.clone()), SqlValue::Text(other.clone()), SqlValue::Text(other)]);
    }
    if let Some(has) = filters.has_evidence {
        c.push_str(if has { " AND " } else { " AND NOT " });
        c.push_str("EXISTS (SELECT 1 FROM evidence e WHERE e.record_id = d.record_id)");
    }
    c
}

/// One found document: its id, target and record.
type Found = (i64, String, String);

/// How a query's last word, as the start of words, is asked of the index (see [`last_word`]).
enum LastWord {
    /// No word in the index begins with it: nothing matches the query.
    Absent,
    /// The only word in the index that begins with it is itself: the words it begins match
    /// exactly what the whole word matches.
    OnlyWhole,
    /// The FTS5 expression for the query, its last word as the start of words (`word*`): FTS5
    /// gathers every word it begins, in every kind, for each query.
    Prefix(String),
    /// The FTS5 expression for the query, its last word replaced by the words it begins, named
    /// one by one: FTS5 seeks into each kind's range as for whole words.
    Named(String),
}

/// The most words a query's last word may stand for before the index is asked for its prefix
/// instead (see [`last_word`]).
const MAX_EXPANSION: usize = 16;
/// The shortest last word that is looked up in the index's list of words: a shorter one begins
/// so many words that counting through them costs more than the prefix query.
const MIN_EXPANDED_CHARS: usize = 3;

/// Whether the unicode61 tokenizer leaves `word` (folded) as one token, unchanged: ASCII
/// letters and digits, and the Urdu and Arabic letters and digits folding leaves (no letter case,
/// no marks). Only such a word is looked up as it is in the index's list of words.
fn is_plain_term(word: &str) -> bool {
    word.chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || crate::search::normalise::is_arabic_letter_or_digit(c))
}

/// How the query's last word is matched as the start of words. FTS5 answers `word*` by gathering
/// the documents of every word it begins, across the whole index, before a kind's range narrows
/// anything, once per kind searched: most of a search's time for a word with many documents
/// (10 ms for a common Urdu word, even in a kind that has none of it). The index's list of words
/// (`search_terms`, FTS5's `fts5vocab` view of it) tells instead which words begin with it; a
/// handful of them are asked for by name (`"a" AND ("b" OR "c")`), which FTS5 seeks into per kind,
/// and a word that begins nothing but itself needs no second query at all.
fn last_word(conn: &Connection, query: &Query) -> Result<LastWord> {
    let Some(last) = query.words.last() else { return Ok(LastWord::Prefix(String::new())) };
    if last.chars().count() < MIN_EXPANDED_CHARS || !is_plain_term(last) {
        return Ok(LastWord::Prefix(query.fts_expression()));
    }
    let mut upper = last.clone();
    upper.push(char::MAX);
    let mut stmt =
        conn.prepare_cached("SELECT term FROM temp.search_terms WHERE term >= ?1 AND term <= ?2 LIMIT ?3")?;
    let mut rows = stmt.query((last, &upper, i64::try_from(MAX_EXPANSION + 1).unwrap_or(i64::MAX)))?;
    let mut terms: Vec<String> = Vec::new();
    while let Some(row) = rows.next()? {
        let term: String = row.get(0)?;
        if term.starts_with(last.as_str()) && is_plain_term(&term) {
            terms.push(term);
        } else if !term.starts_with(last.as_str()) {
            break;
        } else {
            // A word the expression could not name safely: the prefix query answers.
            return Ok(LastWord::Prefix(query.fts_expression()));
        }
    }
    Ok(match terms.as_slice() {
        [] => LastWord::Absent,
        [only] if only == last => LastWord::OnlyWhole,
        _ if terms.len() > MAX_EXPANSION => LastWord::Prefix(query.fts_expression()),
        _ => {
            let mut e = String::new();
            for w in &query.words[..query.words.len() - 1] {
                let _ = write!(e, "\"{w}\" AND ");
            }
            e.push('(');
            for (i, t) in terms.iter().enumerate() {
                if i > 0 {
                    e.push_str(" OR ");
                }
                let _ = write!(e, "\"{t}\"");
            }
            e.push(')');
            LastWord::Named(e)
        }
    })
}

/// Up to `limit` documents of `group` matching the FTS5 `expression` (none: filters alone),
/// after the document `after`: newest first when only filters select them (a walk down the
/// table's primary key); in the order they were indexed when words do (FTS5 reads a doclist
/// backwards by loading each page into a growing buffer, which under SQLCipher's memory security
/// is a copy and a wipe per growth, and was an mlock too: tenths of a second a search).
fn find(
    conn: &Connection,
    group: &str,
    expression: Option<&str>,
    filters: &Filters,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<Found>> {
    let (sql, params) = find_sql(group, expression, filters, after, limit, Wanted::Found);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<Found>>>()?;
    Ok(rows)
}

/// The documents [`find`] finds, without their targets and records: a list page needs no more
/// (its rows are the index's), so a date range is read from `search_docs_by_day`, an index of
/// documents' days alone, rather than from the documents (see migration `search/0009`).
fn find_docs(
    conn: &Connection,
    group: &str,
    expression: Option<&str>,
    filters: &Filters,
    after: Option<i64>,
    limit: usize,
) -> Result<Vec<i64>> {
    let (sql, params) = find_sql(group, expression, filters, after, limit, Wanted::Docs);
    let docs = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(params), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(docs)
}

/// What [`find_sql`] selects of each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// The document, its target and its record ([`Found`]).
    Found,
    /// The document alone.
    Docs,
}

/// The documents' table as a statement that needs of each document only its number and
/// whether `filters` hold names it: through the index of days (`search_docs_by_day`) when the
/// filters ask nothing else of the row (see [`find_sql`]).
fn documents_for(filters: &Filters) -> &'static str {
    let only_day = filters.facets.iter().all(|f| f.values.is_empty() || f.facet != Facet::Kind)
        && filters.linked_to.is_none()
        && filters.has_evidence.is_none();
    if only_day { "search_docs d INDEXED BY search_docs_by_day" } else { "search_docs d" }
}

/// The statement and parameters of [`find`] and [`find_docs`].
fn find_sql(
    group: &str,
    expression: Option<&str>,
    filters: &Filters,
    after: Option<i64>,
    limit: usize,
    wanted: Wanted,
) -> (String, Vec<SqlValue>) {
    // SQLite's planner prefers the documents' own table, by their number, to any index: for a
    // page that needs no column but the number and the day, the index of days is named. It holds
    // a document's number and day in about 20 bytes where its row holds some 220 (its facets'
    // list among them), so a page filtered by dates reads about half the pages of the database
    // (`sqlite3 .stats`, a cold page of Sindh between 2018 and 2022 at 100k incidents: 10 pages
    // where it read 21).
    let (select, docs) = match wanted {
        Wanted::Found => ("d.doc, d.target, d.record_id", "search_docs d"),
        Wanted::Docs => ("d.doc", documents_for(filters)),
    };
    let (mut lo, mut hi) = group_range(group);
    if let Some(a) = after {
        if expression.is_none() {
            hi = hi.min(a - 1);
        } else {
            lo = lo.max(a + 1);
        }
    }
    let no_words = Query { words: Vec::new() };
    let mut params = Vec::new();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    // A facet with one value chosen (not the kind, which the range already is): its rows in the
    // facet table's primary key are that value's documents in order, so a page walks only those
    // (a rare province's page read hundreds of other documents to find fifty).
    let driving = filters.facets.iter().find(|f| f.facet != Facet::Kind && f.values.len() == 1);
    let sql = if let Some(expression) = expression {
        // Driven by the full-text index, which walks its matches of this kind's range forwards
        // and stops at the limit.
        params.extend([SqlValue::Text(expression.to_owned()), SqlValue::Integer(lo), SqlValue::Integer(hi)]);
        let clause = condition(&no_words, filters, None, false, &mut params);
        format!(
            "SELECT {select} FROM search_fts JOIN {docs} ON d.doc = search_fts.rowid
             WHERE search_fts MATCH ? AND search_fts.rowid BETWEEN ? AND ? AND {clause}
             ORDER BY search_fts.rowid LIMIT {limit}"
        )
    } else if let Some(driving) = driving {
        params.extend([
            SqlValue::Text(driving.facet.as_str().to_owned()),
            SqlValue::Text(driving.values[0].clone()),
            SqlValue::Integer(lo),
            SqlValue::Integer(hi),
        ]);
        let clause = condition(&no_words, filters, None, false, &mut params);
        format!(
            concat!(
                "SELECT {select} FROM search_facets v JOIN {docs} ON d.doc = v.doc
                 WHERE v.value_id = ",
                value_id_of!(),
                " AND v.doc BETWEEN ? AND ? AND {clause}
                 ORDER BY v.doc DESC LIMIT {limit}"
            ),
            select = select,
            docs = docs,
            clause = clause,
            limit = limit
        )
    } else {
        params.extend([SqlValue::Integer(lo), SqlValue::Integer(hi)]);
        let clause = condition(&no_words, filters, None, false, &mut params);
        format!(
            "SELECT {select} FROM {docs} WHERE d.doc BETWEEN ? AND ? AND {clause} ORDER BY d.doc DESC LIMIT {limit}"
        )
    };
    (sql, params)
}

/// The words around the first word of `texts` the query matches, matched words marked.
fn snippet(query: &Query, title: &str, texts: &[(String, bool)]) -> Vec<Segment> {
    if query.is_empty() {
        return Vec::new();
    }
    let shown = std::iter::once(title).chain(texts.iter().filter(|(_, shown)| *shown).map(|(t, _)| t.as_str()));
    for text in shown {
        let w = words(text);
        let Some(first) = w.iter().position(|(_, folded)| query.matches_any(folded)) else { continue };
        let from = first.saturating_sub(SNIPPET_WORDS);
        let to = (first + SNIPPET_WORDS).min(w.len() - 1);
        let mut out: Vec<Segment> = Vec::new();
        let mut push = |text: &str, highlighted: bool| match out.last_mut() {
            Some(last) if last.highlighted == highlighted => last.text.push_str(text),
            _ => out.push(Segment { text: text.to_owned(), highlighted }),
        };
        let mut at = w[from].0.start;
        if from > 0 {
            push("… ", false);
        }
        for (range, folded) in &w[from..=to] {
            if range.start > at {
                push(&text[at..range.start], false);
            }
            push(&text[range.clone()], query.matches_any(folded));
            at = range.end;
        }
        if to + 1 < w.len() {
            push(" …", false);
        }
        return out;
    }
    Vec::new()
}

/// The document of the record a page starts after.
fn after_document(conn: &Connection, after: &str) -> Result<i64> {
    let after = normalise_id(after);
    index::document_of_target(conn, &after)?.ok_or(Error::RecordNotFound(after))
}

/// Whether the index holds any document of `group`.
fn group_has_documents(conn: &Connection, group: &str) -> Result<bool> {
    let (lo, hi) = group_range(group);
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM search_docs WHERE doc BETWEEN ?1 AND ?2)")?
        .query_row([lo, hi], |r| r.get(0))?)
}

/// A hit for a found document, with its title and snippet.
fn hit(
    conn: &Connection,
    labels: &mut index::LabelCache,
    group: &str,
    query: &Query,
    (_, target, record_id): Found,
) -> Result<Hit> {
    let doc = if group == EVIDENCE {
        let row = crate::store::evidence::get(conn, &target)?.ok_or(Error::CorruptDatabase)?;
        index::evidence_document(&row.item)
    } else {
        let record = records::get(conn, &target)?.ok_or(Error::CorruptDatabase)?;
        index::document(conn, labels, &record)?
    };
    Ok(Hit {
        snippet: snippet(query, &doc.title, &doc.texts),
        title: doc.title,
        id: target,
        kind: group.to_owned(),
        record_id,
    })
}

/// The groups a search looks in: every kind and evidence, or those the kind filter names.
fn groups(filters: &Filters) -> Vec<&'static str> {
    let all = Kind::ALL.iter().map(|k| k.as_str()).chain(std::iter::once(EVIDENCE));
    let named: Vec<&String> =
        filters.facets.iter().filter(|f| f.facet == Facet::Kind).flat_map(|f| f.values.iter()).collect();
    if named.is_empty() { all.collect() } else { all.filter(|g| named.iter().any(|n| n.as_str() == *g)).collect() }
}

/// How many documents matching have each value of `facet`, most first. `skip` is the facet
/// whose own filter is left out (a search's facet list leaves out the facet it counts, so its
/// other values stay in view; a statistic leaves out none).
fn counts(
    conn: &Connection,
    labels: &VocabLabels,
    facet: Facet,
    query: &Query,
    filters: &Filters,
    skip: Option<Facet>,
) -> Result<Vec<Count>> {
    let mut params = Vec::new();
    let clause = condition(query, filters, skip, true, &mut params);
    let sql = if facet == Facet::Kind {
        format!("SELECT d.kind, count(*) FROM search_docs d WHERE {clause} GROUP BY d.kind")
    } else if clause == "1" {
        // Nothing filtered: the counts the index keeps (see migration `search/0005_facet_counts`),
        // a few pages, rather than a group over every one of the facet's rows.
        params.push(SqlValue::Text(facet.as_str().to_owned()));
        "SELECT c.value, c.n FROM search_facet_counts c WHERE c.field = ? AND c.n > 0".to_owned()
    } else {
        let mut all = vec![SqlValue::Text(facet.as_str().to_owned())];
        all.append(&mut params);
        params = all;
        format!(
            "SELECT k.value, count(*) FROM search_facet_counts k JOIN search_facets f ON f.value_id = k.id
                 JOIN search_docs d ON d.doc = f.doc
             WHERE k.field = ? AND {clause} GROUP BY k.value"
        )
    };
    let rows: Vec<(String, i64)> = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let count = |(value, n): (String, i64), en, ur| Count { facet, value, en, ur, count: n.unsigned_abs() };
    let mut out: Vec<Count> = match facet.vocabulary() {
        None => rows.into_iter().map(|row| count(row, None, None)).collect(),
        Some(vocab) => labels.with(conn, |labels| {
            let entries = labels.get(vocab);
            rows.into_iter()
                .map(|row| {
                    let (en, ur) = entries.and_then(|e| e.get(&row.0)).cloned().unzip();
                    count(row, en, ur)
                })
                .collect()
        })?,
    };
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(out)
}

/// Deletes, in the caller's transaction, the saved searches narrowed to the record `id`
/// (`Filters::linked_to`, in any spelling of the id the filters accept: see `normalise_id`).
pub(super) fn delete_saved_searches_linked_to(conn: &Connection, id: &str) -> Result<()> {
    let saved: Vec<(String, String)> = conn
        .prepare("SELECT name, filters FROM saved_searches")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut delete = conn.prepare("DELETE FROM saved_searches WHERE name = ?1")?;
    for (name, filters) in saved {
        // Filters are written only by `save_search`; ones that do not parse were changed behind
        // the vault's back.
        let filters: Filters = serde_json::from_str(&filters).map_err(|_| Error::CorruptDatabase)?;
        if filters.linked_to.as_deref().map(normalise_id).as_deref() == Some(id) {
            delete.execute([&name])?;
        }
    }
    Ok(())
}

fn check_saved_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Invalid::field("name", Reason::Required, "is required").into());
    }
    if name.chars().count() > MAX_SAVED_NAME_CHARS {
        return Err(
            Invalid::field("name", Reason::TooLong, format!("at most {MAX_SAVED_NAME_CHARS} characters")).into()
        );
    }
    if name.chars().any(char::is_control) {
        return Err(Invalid::field("name", Reason::NotOneLine, "must be one line of text").into());
    }
    Ok(())
}

impl Vault {
    /// Searches every record kind and evidence item for `query` (see
    /// [`crate::search::normalise`]) within `filters`: up to `limit` hits of each kind, each
    /// with its title and a snippet: records holding every word whole, in the order indexed,
    /// when there are more than `limit` of them; otherwise every match, the last word as the
    /// start of a word, in the order indexed (see `find`). Kinds with no hit are left out. An empty query
    /// (nothing but spaces and punctuation) with no filter is refused as `query` required; with
    /// filters it lists what they select.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<HitGroup>> {
        let query = parse_query(query)?;
        check_filters(filters)?;
        if query.is_empty() && filters.is_empty() {
            return Err(
                Invalid::field("query", Reason::Required, "type a word to search for, or choose a filter").into()
            );
        }
        let limit = limit.clamp(1, MAX_HITS_PER_KIND);
        let conn = self.connection();
        // One read transaction for the whole search: each statement outside one takes and drops
        // the database's shared lock (a pair of fcntl calls, and a look at the write-ahead log's
        // index) on its own, and a search runs a few dozen.
        let snapshot = conn.unchecked_transaction()?;
        let whole = (!query.is_empty()).then(|| query.fts_expression_whole());
        let prefix = if query.is_empty() { None } else { Some(last_word(conn, &query)?) };
        if matches!(prefix, Some(LastWord::Absent)) {
            return Ok(Vec::new());
        }
        let mut labels = index::LabelCache::default();
        let mut out = Vec::new();
        for group in groups(filters) {
            // A word query's last word may be a prefix, which FTS5 gathers from every word it
            // begins before the rowid range narrows anything: a group the vault has no document
            // of would pay for that and find nothing, so it is asked about first (one seek down
            // the primary key).
            if !query.is_empty() && !group_has_documents(conn, group)? {
                continue;
            }
            // Records holding the last word whole come first when they fill the page; otherwise
            // the page is every match in the order indexed.
            let found = match &prefix {
                // The words it begins, gathered by FTS5, cost more than the whole word: the
                // whole word first, and the prefix only when it does not fill the page.
                Some(LastWord::Prefix(e)) => {
                    let whole = find(conn, group, whole.as_deref(), filters, None, limit + 1)?;
                    if whole.len() > limit { whole } else { find(conn, group, Some(e), filters, None, limit + 1)? }
                }
                // The words it begins, named, cost about what the whole word does: they first,
                // since when they do not fill the page they are the answer (the whole word's
                // matches are among them), which spares a query in most kinds (a kind that has
                // few or none of the words).
                Some(LastWord::Named(e)) => {
                    let begun = find(conn, group, Some(e), filters, None, limit + 1)?;
                    if begun.len() <= limit {
                        begun
                    } else {
                        let whole = find(conn, group, whole.as_deref(), filters, None, limit + 1)?;
                        if whole.len() > limit { whole } else { begun }
                    }
                }
                Some(LastWord::OnlyWhole | LastWord::Absent) | None => {
                    find(conn, group, whole.as_deref(), filters, None, limit + 1)?
                }
            };
            let mut found = found;
            if found.is_empty() {
                continue;
            }
            let more = found.len() > limit;
            found.truncate(limit);
            let hits =
                found.into_iter().map(|f| hit(conn, &mut labels, group, &query, f)).collect::<Result<Vec<_>>>()?;
            out.push(HitGroup { kind: group.to_owned(), hits, more });
        }
        snapshot.commit()?;
        Ok(out)
    }

    /// A page of records of `kind` matching `query` (which may be empty) within `filters`,
    /// after the record `after` (see `find` for the order), as whole records: the page whose
    /// rows [`Vault::list_rows_matching`] gives (tests hold the two to each other).
    pub fn list_matching(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Record>> {
        // One read transaction for the page (see `list_rows_matching`).
        self.snapshot(|v| {
            v.page_matching(kind, query, filters, after, limit)?
                .into_iter()
                .map(|(_, id, _)| records::get(v.connection(), &id)?.ok_or(Error::CorruptDatabase))
                .collect()
        })
    }

    /// The list rows of the page [`Vault::list_matching`] gives: the window's filtered list, which
    /// shows each record's label and its kind's list columns (see [`ListRow`]).
    pub fn list_rows_matching(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ListRow>> {
        // One read transaction for the page: the page's documents and their rows are read from
        // one state of the database, and the fifty row lookups do not each take and drop the
        // shared lock (a pair of fcntl calls and a look at the write-ahead log's index: a sixth
        // of a page's time, `perf`, 2026-12-03).
        self.snapshot(|v| {
            let docs: Vec<i64> = if let Some(docs) = v.page_of_one_value(kind, query, filters, after, limit)? {
                docs
            } else {
                v.page_docs_matching(kind, query, filters, after, limit)?
            };
            index::list_rows(v.connection(), kind, &docs)
        })
    }

    /// A page of the window's list of `kind`: the rows after the record `after` (newest first
    /// without a word or filter, else as [`Vault::list_rows_matching`] gives them), how many
    /// records of the kind there are, and, on a filtered list's first page, how many match. All
    /// three come from one state of the database, so a record another process adds meanwhile
    /// cannot be counted and missing from the page (or the other way round).
    pub fn list_page(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<ListPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        self.snapshot(|v| {
            let filtered = !parse_query(query)?.is_empty() || !filters.is_empty();
            let rows = if filtered {
                v.list_rows_matching(kind, query, filters, after, limit)?
            } else {
                v.list(kind, after, limit)?.iter().map(ListRow::of).collect()
            };
            let matched =
                if filtered && after.is_none() { Some(v.count_matching(kind, query, filters)?) } else { None };
            let next_after = (rows.len() == limit).then(|| rows.last().map(|r| r.id.clone())).flatten();
            Ok(ListPage { rows, total: v.count(kind)?, matched, next_after })
        })
    }

    /// Runs `read` in one read transaction, or in the caller's when it is inside one already (a
    /// page read within [`Vault::list_page`]'s): every statement of it sees one state of the
    /// database, and takes the shared lock once.
    fn snapshot<T>(&self, read: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        let conn = self.connection();
        if !conn.is_autocommit() {
            return read(self);
        }
        let snapshot = conn.unchecked_transaction()?;
        let out = read(self)?;
        snapshot.commit()?;
        Ok(out)
    }

    /// The documents of [`Vault::list_rows_matching`]'s page when no word is asked for and the
    /// only filter is one value of one facet (a province, a court, a status: most lists' one
    /// filter), read from that value's rows of the facet table alone; `None` otherwise. `find`
    /// reads each one's `search_docs` row too, for its id and its other filters, which this page
    /// has no need of (the list row has the id): a page deep in the list read three or four more
    /// pages of the database for them (README, the faceted list figures).
    fn page_of_one_value(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Option<Vec<i64>>> {
        let one_value = match filters.facets.iter().filter(|f| !f.values.is_empty()).collect::<Vec<_>>()[..] {
            [f] if f.facet != Facet::Kind && f.values.len() == 1 => f,
            _ => return Ok(None),
        };
        let mut rest = filters.clone();
        rest.facets.clear();
        if !rest.is_empty() || !parse_query(query)?.is_empty() {
            return Ok(None);
        }
        check_filters(filters)?;
        let conn = self.connection();
        let (lo, mut hi) = group_range(kind.as_str());
        if let Some(a) = after {
            hi = hi.min(after_document(conn, a)? - 1);
        }
        let limit = i64::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(i64::MAX);
        let docs = conn
            .prepare_cached(concat!(
                "SELECT doc FROM search_facets WHERE value_id = ",
                value_id_of!(),
                " AND doc BETWEEN ?3 AND ?4 ORDER BY doc DESC LIMIT ?5"
            ))?
            .query_map((one_value.facet.as_str(), &one_value.values[0], lo, hi, limit), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        Ok(Some(docs))
    }

    /// The documents of a page of records of `kind` matching `query` within `filters`, after the
    /// record `after`.
    fn page_matching(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Found>> {
        let Some((expression, after)) = self.page_terms(query, filters, after)? else { return Ok(Vec::new()) };
        find(self.connection(), kind.as_str(), expression.as_deref(), filters, after, limit.clamp(1, MAX_PAGE))
    }

    /// The documents alone of the page [`Vault::page_matching`] gives.
    fn page_docs_matching(
        &self,
        kind: Kind,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<i64>> {
        let Some((expression, after)) = self.page_terms(query, filters, after)? else { return Ok(Vec::new()) };
        find_docs(self.connection(), kind.as_str(), expression.as_deref(), filters, after, limit.clamp(1, MAX_PAGE))
    }

    /// What a page of `query` within `filters` after the record `after` asks of [`find`]: the
    /// FTS5 expression (none without words) and the document to go on after; `None` when no
    /// document can match (the query's last word begins no word of the index).
    fn page_terms(
        &self,
        query: &str,
        filters: &Filters,
        after: Option<&str>,
    ) -> Result<Option<(Option<String>, Option<i64>)>> {
        let query = parse_query(query)?;
        check_filters(filters)?;
        let conn = self.connection();
        let after_doc = after.map(|a| after_document(conn, a)).transpose()?;
        let expression = match (query.is_empty(), last_word(conn, &query)?) {
            (true, _) => None,
            (false, LastWord::Absent) => return Ok(None),
            (false, LastWord::OnlyWhole) => Some(query.fts_expression_whole()),
            (false, LastWord::Prefix(e) | LastWord::Named(e)) => Some(e),
        };
        Ok(Some((expression, after_doc)))
    }

    /// How many records of `kind` match `query` within `filters`.
    pub fn count_matching(&self, kind: Kind, query: &str, filters: &Filters) -> Result<u64> {
        let query = parse_query(query)?;
        check_filters(filters)?;
        let (lo, hi) = group_range(kind.as_str());
        // Without words, one value of a facet (the window's usual filter) is counted from its
        // facet rows, which lie together: counting every document of the kind and asking each
        // whether it has the value read the kind's whole table (a province at 100k incidents:
        // 96 ms and 190 pages cold, where its rows take 6 ms and 24 pages; `sqlite3 .timer`).
        let driving = filters.facets.iter().find(|f| f.facet != Facet::Kind && f.values.len() == 1);
        let sql;
        let mut params;
        if let (true, Some(driving)) = (query.is_empty(), driving) {
            params = vec![
                SqlValue::Text(driving.facet.as_str().to_owned()),
                SqlValue::Text(driving.values[0].clone()),
                SqlValue::Integer(lo),
                SqlValue::Integer(hi),
            ];
            // The driving value's own filter holds of its rows; left out when it is the facet's
            // only filter.
            let once = filters.facets.iter().filter(|f| f.facet == driving.facet).count() == 1;
            let clause = condition(&query, filters, once.then_some(driving.facet), true, &mut params);
            let rows =
                concat!("FROM search_facets v WHERE v.value_id = ", value_id_of!(), " AND v.doc BETWEEN ? AND ?");
            sql = if clause == "1" {
                format!("SELECT count(*) {rows}")
            } else {
                format!(
                    "SELECT count(*) {rows} AND EXISTS (SELECT 1 FROM {} WHERE d.doc = v.doc AND {clause})",
                    documents_for(filters)
                )
            };
        } else {
            params = vec![SqlValue::Integer(lo), SqlValue::Integer(hi)];
            let clause = condition(&query, filters, None, true, &mut params);
            sql = format!("SELECT count(*) FROM search_docs d WHERE d.doc BETWEEN ? AND ? AND {clause}");
        }
        let n: i64 =
            self.connection().prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(params), |r| r.get(0))?;
        Ok(n.unsigned_abs())
    }

    /// For every facet, how many records matching `query` within `filters` have each of its
    /// values (a facet's own filter is left out of its counts, so its other values stay in
    /// view). Facets no matching record has are left out.
    pub fn facet_counts(&self, query: &str, filters: &Filters) -> Result<Vec<Count>> {
        let query = parse_query(query)?;
        check_filters(filters)?;
        let mut out = Vec::new();
        for facet in Facet::ALL {
            out.extend(counts(self.connection(), &self.labels, facet, &query, filters, Some(facet))?);
        }
        Ok(out)
    }

    /// Statistics: how many records within `filters` have each value of `by`, most first, each
    /// vocabulary code with its labels in English and Urdu. Every filter holds, one on `by`
    /// itself too (provinces counted within Sindh are Sindh's alone), unlike
    /// [`Vault::facet_counts`], which shows a facet's alternatives.
    pub fn stats(&self, by: Facet, filters: &Filters) -> Result<Vec<Count>> {
        check_filters(filters)?;
        counts(self.connection(), &self.labels, by, &Query { words: Vec::new() }, filters, None)
    }

    /// Keeps a search under `name` (replacing one of the same name), encrypted in the vault. Not
    /// a record: no audit entry, never exported. One narrowed to a record (`linked_to`) is
    /// deleted with that record.
    pub fn save_search(&mut self, saved: &SavedSearch) -> Result<()> {
        self.writable()?;
        check_saved_name(&saved.name)?;
        parse_query(&saved.query)?;
        check_filters(&saved.filters)?;
        let filters = serde_json::to_string(&saved.filters).map_err(|_| Error::Bug("filters serialise"))?;
        let tx = self.conn.transaction()?;
        let n: i64 =
            tx.query_row("SELECT count(*) FROM saved_searches WHERE name <> ?1", [&saved.name], |r| r.get(0))?;
        if n.unsigned_abs() >= MAX_SAVED_SEARCHES as u64 {
            return Err(Invalid::field(
                "name",
                Reason::TooLong,
                format!("a vault keeps at most {MAX_SAVED_SEARCHES} saved searches; delete one first"),
            )
            .into());
        }
        tx.execute(
            "INSERT INTO saved_searches (name, query, filters, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET query = excluded.query, filters = excluded.filters, saved_at = excluded.saved_at",
            (&saved.name, &saved.query, filters, crate::date::now_utc()),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let rows: Vec<(String, String, String)> = self
            .conn
            .prepare("SELECT name, query, filters FROM saved_searches ORDER BY name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(name, query, filters)| {
                let filters = serde_json::from_str(&filters).map_err(|_| Error::CorruptDatabase)?;
                Ok(SavedSearch { name, query, filters })
            })
            .collect()
    }

    /// The saved search called `name`.
    pub fn saved_search(&self, name: &str) -> Result<SavedSearch> {
        self.saved_searches()?
            .into_iter()
            .find(|s| s.name == name)
            .ok_or_else(|| Invalid::field("name", Reason::NoSuchRecord, "no saved search has this name").into())
    }

    /// Deletes the saved search called `name`.
    pub fn delete_saved_search(&mut self, name: &str) -> Result<()> {
        self.writable()?;
        let n = self.conn.execute("DELETE FROM saved_searches WHERE name = ?1", [name])?;
        if n == 0 {
            return Err(Invalid::field("name", Reason::NoSuchRecord, "no saved search has this name").into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::SecretString;

    /// SQLite's plan for a page of `group`'s documents within `filters`, as `wanted`, one line
    /// per step.
    fn plan(v: &Vault, filters: &Filters, expression: Option<&str>, wanted: Wanted) -> String {
        let (sql, params) = find_sql("incident", expression, filters, Some(1), 50, wanted);
        let conn = v.connection();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let steps = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("steps");
        steps.join("\n")
    }

    /// A list page reads a candidate's day from the index of days, never the document's row;
    /// a search (which needs the record's id) and a filter the index does not hold read the row.
    #[test]
    fn a_page_filtered_by_dates_reads_days_from_their_index() {
        let tmp = tempfile::tempdir().expect("tmp");
        let v = Vault::create(&tmp.path().join("v"), &SecretString::from("a plan passphrase"), Duration::ZERO)
            .expect("create");
        let dates = Filters { date_from: Some("2018".into()), date_to: Some("2022".into()), ..Filters::default() };
        let province = dates.clone().with(Facet::Province, &["sindh"]);
        for (filters, expression) in [(&dates, None), (&province, None), (&dates, Some("raid"))] {
            let docs = plan(&v, filters, expression, Wanted::Docs);
            assert!(docs.contains("USING COVERING INDEX search_docs_by_day"), "{filters:?}:\n{docs}");
            let found = plan(&v, filters, expression, Wanted::Found);
            assert!(!found.contains("search_docs_by_day"), "{filters:?}:\n{found}");
        }
        let linked = Filters { linked_to: Some("0193c0de-0000-7000-8000-000000000001".into()), ..dates.clone() };
        let evidence = Filters { has_evidence: Some(true), ..dates.clone() };
        let kind = dates.clone().with(Facet::Kind, &["incident"]);
        for filters in [&linked, &evidence, &kind] {
            let docs = plan(&v, filters, None, Wanted::Docs);
            assert!(!docs.contains("search_docs_by_day"), "{filters:?}:\n{docs}");
        }
    }
}
