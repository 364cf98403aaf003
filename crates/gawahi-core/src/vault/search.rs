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

/// Whether `s` is a date as the filters take it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, its month
/// and day in their ranges (a bound without a number, `2024-13`, would be no bound at all).
fn is_partial_date(s: &str) -> bool {
    matches!(s.len(), 4 | 7 | 10) && index::day_number(s).is_some()
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

/// The rows a statement's conditions (see [`condition`]) are asked of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// `d`, the documents' rows (`search_docs`).
    Docs,
    /// `v`, one value's facet rows, each with its document's number and day: only a kind, a link
    /// or evidence asks for the document's row `d` too (see [`needs_docs`]).
    Facet,
}

/// Whether `filters`, asked of facet rows ([`Rows::Facet`]), need the documents' rows too.
fn needs_docs(filters: &Filters) -> bool {
    filters.facets.iter().any(|f| f.facet == Facet::Kind && !f.values.is_empty())
        || filters.linked_to.is_some()
        || filters.has_evidence.is_some()
}

/// The SQL condition on `rows` for the filters and, unless `with_text` is false (the caller
/// matches the text itself), the query; `skip` leaves one facet's filter out (a facet's own
/// counts ignore its own filter, so its other values stay visible).
fn condition(
    query: &Query,
    filters: &Filters,
    skip: Option<Facet>,
    with_text: bool,
    rows: Rows,
    params: &mut Vec<SqlValue>,
) -> String {
    let (doc, day) = match rows {
        Rows::Docs => ("d.doc", "d.day"),
        Rows::Facet => ("v.doc", "v.day"),
    };
    let mut c = String::from("1");
    if with_text && !query.is_empty() {
        let _ = write!(c, " AND {doc} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)");
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
                      WHERE k.field = ? AND k.value IN ({marks}) AND f.doc = {doc})"
            );
            params.push(SqlValue::Text(f.facet.as_str().to_owned()));
        }
        params.extend(f.values.iter().map(|v| SqlValue::Text(v.clone())));
    }
    if filters.date_from.is_some() || filters.date_to.is_some() {
        // Days are numbers (`store::search::day_number`); a month or a year as the upper bound
        // includes all of it. Every bound `check_filters` lets through has a number.
        let from = filters.date_from.as_deref().and_then(index::first_day_number).unwrap_or(i64::MIN);
        let to = filters.date_to.as_deref().and_then(index::last_day_number).unwrap_or(i64::MAX);
        let _ = write!(c, " AND {day} BETWEEN ? AND ?");
        params.push(SqlValue::Integer(from));
        params.push(SqlValue::Integer(to));
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

/// The facet filter that drives a statement without words: the first with one value chosen (not
/// the kind, which a document's range already is), whose rows in the facet table's primary key
/// are that value's documents in order, with the facet to leave out of the rest of the
/// conditions (its filter holds of those rows, unless the facet is filtered on twice).
fn driving_facet(filters: &Filters) -> Option<(&crate::search::FacetFilter, Option<Facet>)> {
    let driving = filters.facets.iter().find(|f| f.facet != Facet::Kind && f.values.len() == 1)?;
    let once = filters.facets.iter().filter(|f| f.facet == driving.facet).count() == 1;
    Some((driving, once.then_some(driving.facet)))
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
/// (its rows are the index's), so a page driven by one facet value reads that value's rows alone
/// unless a filter asks for more of each document (see [`find_sql`]).
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

/// The statement and parameters of [`find`] and [`find_docs`].
fn find_sql(
    group: &str,
    expression: Option<&str>,
    filters: &Filters,
    after: Option<i64>,
    limit: usize,
    wanted: Wanted,
) -> (String, Vec<SqlValue>) {
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
    let select = match wanted {
        Wanted::Found => "d.doc, d.target, d.record_id",
        Wanted::Docs => "d.doc",
    };
    let sql = if let Some(expression) = expression {
        // Driven by the full-text index, which walks its matches of this kind's range forwards
        // and stops at the limit.
        params.extend([SqlValue::Text(expression.to_owned()), SqlValue::Integer(lo), SqlValue::Integer(hi)]);
        let clause = condition(&no_words, filters, None, false, Rows::Docs, &mut params);
        format!(
            "SELECT {select} FROM search_fts JOIN search_docs d ON d.doc = search_fts.rowid
             WHERE search_fts MATCH ? AND search_fts.rowid BETWEEN ? AND ? AND {clause}
             ORDER BY search_fts.rowid LIMIT {limit}"
        )
    } else if let Some((driving, skip)) = driving_facet(filters) {
        // Driven by the value's facet rows, newest first (a rare province's page read hundreds
        // of other documents to find fifty). They hold each document's day, so a page of the
        // value within dates, the window's usual filter, reads nothing else.
        params.extend([
            SqlValue::Text(driving.facet.as_str().to_owned()),
            SqlValue::Text(driving.values[0].clone()),
            SqlValue::Integer(lo),
            SqlValue::Integer(hi),
        ]);
        let clause = condition(&no_words, filters, skip, false, Rows::Facet, &mut params);
        let (select, docs) = match wanted {
            Wanted::Found => ("v.doc, d.target, d.record_id", " JOIN search_docs d ON d.doc = v.doc"),
            Wanted::Docs if needs_docs(filters) => ("v.doc", " JOIN search_docs d ON d.doc = v.doc"),
            Wanted::Docs => ("v.doc", ""),
        };
        format!(
            concat!(
                "SELECT {select} FROM search_facets v{docs} WHERE v.value_id = ",
                value_id_of!(),
                " AND v.doc BETWEEN ? AND ? AND {clause} ORDER BY v.doc DESC LIMIT {limit}"
            ),
            select = select,
            docs = docs,
            clause = clause,
            limit = limit
        )
    } else {
        params.extend([SqlValue::Integer(lo), SqlValue::Integer(hi)]);
        let clause = condition(&no_words, filters, None, false, Rows::Docs, &mut params);
        format!(
            "SELECT {select} FROM search_docs d WHERE d.doc BETWEEN ? AND ? AND {clause} ORDER BY d.doc DESC LIMIT {limit}"
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
        // Each word with whether it is matched. A compound (`295-C` read as `295c` too) comes
        // after its pieces and covers their text: when it matches, it is marked whole in their
        // place, joining characters and all.
        let mut w: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
        for (range, folded) in words(text) {
            let hit = query.matches_any(&folded);
            if w.last().is_some_and(|(last, _)| range.start < last.end) {
                if hit {
                    while w.last().is_some_and(|(piece, _)| piece.start >= range.start) {
                        w.pop();
                    }
                    w.push((range, true));
                }
                continue;
            }
            w.push((range, hit));
        }
        let Some(first) = w.iter().position(|(_, hit)| *hit) else { continue };
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
        for (range, hit) in &w[from..=to] {
            if range.start > at {
                push(&text[at..range.start], false);
            }
            push(&text[range.clone()], *hit);
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
    let rows = if facet == Facet::Kind { Rows::Docs } else { Rows::Facet };
    let clause = condition(query, filters, skip, true, rows, &mut params);
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
        // The value's facet rows hold their documents' numbers and days; the documents' own rows
        // are read only for a filter on what they alone hold.
        let docs = if needs_docs(filters) { " JOIN search_docs d ON d.doc = v.doc" } else { "" };
        format!(
            "SELECT k.value, count(*) FROM search_facet_counts k JOIN search_facets v ON v.value_id = k.id{docs}
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

/// The statement and parameters of [`Vault::count_matching`].
fn count_sql(kind: Kind, query: &Query, filters: &Filters) -> (String, Vec<SqlValue>) {
    let (lo, hi) = group_range(kind.as_str());
    // Without words, one value of a facet (the window's usual filter) is counted from its
    // facet rows, which lie together and hold their documents' days: counting every document
    // of the kind and asking each whether it has the value read the kind's whole table (a
    // province at 100k incidents: 96 ms and 190 pages cold, where its rows take 6 ms and 24
    // pages; `sqlite3 .timer`), and looking each row's document up for its day took 6 ms warm
    // for a province over five years, where its rows' days take 1.2 ms.
    if let (true, Some((driving, skip))) = (query.is_empty(), driving_facet(filters)) {
        let mut params = vec![
            SqlValue::Text(driving.facet.as_str().to_owned()),
            SqlValue::Text(driving.values[0].clone()),
            SqlValue::Integer(lo),
            SqlValue::Integer(hi),
        ];
        let clause = condition(query, filters, skip, true, Rows::Facet, &mut params);
        let docs = if needs_docs(filters) { " JOIN search_docs d ON d.doc = v.doc" } else { "" };
        let sql = format!(
            concat!(
                "SELECT count(*) FROM search_facets v{docs} WHERE v.value_id = ",
                value_id_of!(),
                " AND v.doc BETWEEN ? AND ? AND {clause}"
            ),
            docs = docs,
            clause = clause
        );
        (sql, params)
    } else {
        let mut params = vec![SqlValue::Integer(lo), SqlValue::Integer(hi)];
        let clause = condition(query, filters, None, true, Rows::Docs, &mut params);
        (format!("SELECT count(*) FROM search_docs d WHERE d.doc BETWEEN ? AND ? AND {clause}"), params)
    }
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
            let docs = v.page_docs_matching(kind, query, filters, after, limit)?;
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
        let (sql, params) = count_sql(kind, &query, filters);
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

    /// SQLite's plan for `sql` with `params`, one line per step.
    fn plan_of(v: &Vault, sql: &str, params: Vec<SqlValue>) -> String {
        let mut stmt = v.connection().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let steps = stmt
            .query_map(rusqlite::params_from_iter(params), |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("steps");
        steps.join("\n")
    }

    /// Whether a plan reads the documents' rows (`search_docs`, named `d`).
    fn reads_documents(plan: &str) -> bool {
        plan.lines().any(|step| step.starts_with("SEARCH d ") || step.starts_with("SCAN d"))
    }

    /// SQLite's plan for a page of incidents within `filters`, as `wanted`.
    fn plan(v: &Vault, filters: &Filters, expression: Option<&str>, wanted: Wanted) -> String {
        let (sql, params) = find_sql("incident", expression, filters, Some(1), 50, wanted);
        plan_of(v, &sql, params)
    }

    /// A list page of one value, within dates or with another value, and its count, read the
    /// value's facet rows and never the documents' rows; a search, a kind, a link or evidence,
    /// which the facet rows do not hold, read them.
    #[test]
    fn a_page_and_count_of_one_value_within_dates_read_its_facet_rows_alone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let v = Vault::create(&tmp.path().join("v"), &SecretString::from("a plan passphrase"), Duration::ZERO)
            .expect("create");
        let dates = Filters { date_from: Some("2018".into()), date_to: Some("2022".into()), ..Filters::default() };
        let province = dates.clone().with(Facet::Province, &["sindh"]);
        let two = province.clone().with(Facet::Court, &["shc"]);
        let no_words = Query { words: Vec::new() };
        for filters in [&province, &two] {
            let docs = plan(&v, filters, None, Wanted::Docs);
            assert!(docs.starts_with("SEARCH v USING PRIMARY KEY") && !reads_documents(&docs), "{filters:?}:\n{docs}");
            let (sql, params) = count_sql(Kind::Incident, &no_words, filters);
            let count = plan_of(&v, &sql, params);
            assert!(
                count.starts_with("SEARCH v USING PRIMARY KEY") && !reads_documents(&count),
                "{filters:?}:\n{count}"
            );
        }
        let found = plan(&v, &province, None, Wanted::Found);
        assert!(reads_documents(&found), "{found}");
        let searched = plan(&v, &province, Some("raid"), Wanted::Docs);
        assert!(searched.contains("search_fts"), "{searched}");
        let linked = Filters { linked_to: Some("0193c0de-0000-7000-8000-000000000001".into()), ..province.clone() };
        let evidence = Filters { has_evidence: Some(true), ..province.clone() };
        let kind = province.clone().with(Facet::Kind, &["incident"]);
        for filters in [&linked, &evidence, &kind] {
            let docs = plan(&v, filters, None, Wanted::Docs);
            assert!(reads_documents(&docs), "{filters:?}:\n{docs}");
            let (sql, params) = count_sql(Kind::Incident, &no_words, filters);
            assert!(reads_documents(&plan_of(&v, &sql, params)), "{filters:?}");
        }
    }
}
