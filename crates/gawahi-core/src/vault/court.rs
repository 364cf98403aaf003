//! Court work: recording what happened at a hearing and the next date in one step, deadlines
//! worked out from the events they follow, and charges as lawyers type them (the section finder
//! and the user's own sections).

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Origin, Vault, add_in};
use crate::audit::{self, Action};
use crate::date::{self, now_utc};
use crate::error::{Error, Invalid, Reason, Result};
use crate::model::{Check, DeadlineFor, Hearing, HearingStatus, Kind, RecordData, Task, normalise_id};
use crate::records::{self, Record};
use crate::store::search::IndexWriter;
use crate::vocab::{self, Entry, SectionMatch};

/// What recording a hearing's outcome changed.
#[derive(Debug, Clone, PartialEq)]
pub struct HearingOutcome {
    /// The hearing, marked with its status and outcome.
    pub hearing: Record,
    /// The next hearing it created on the same case, when a next date was given.
    pub next: Option<Record>,
}

/// The longest period a deadline rule may run, in days (ten years).
pub const MAX_DEADLINE_DAYS: u32 = 3_660;

impl Vault {
    /// Records what happened at hearing `hearing_id`: its `status` (anything but scheduled), its
    /// `outcome` if given, and the `next_date` the court fixed, which creates the next hearing on
    /// the same case (same court and judge, marked scheduled, `follows` this one). Both changes
    /// and their audit entries are one transaction: either both are made or neither.
    ///
    /// When the case already has a hearing on the next date, that hearing is the next one: it is
    /// marked as following this one (if it follows none) and no second hearing is made that day.
    ///
    /// A hearing whose outcome was recorded with a next hearing is not recorded again (that
    /// would fix a second next date): change the next hearing instead.
    pub fn record_hearing_outcome(
        &mut self,
        hearing_id: &str,
        status: HearingStatus,
        outcome: Option<&str>,
        next_date: Option<&str>,
    ) -> Result<HearingOutcome> {
        self.record_hearing_outcome_steps(hearing_id, status, outcome, next_date, || Ok(()))
    }

    /// [`Vault::record_hearing_outcome`] with `between` called after the hearing is marked and
    /// before the next one is made; an error from it stops there, as a crash would. Only for
    /// tests (the `test-hooks` feature).
    #[cfg(any(test, feature = "test-hooks"))]
    pub fn record_hearing_outcome_interrupted(
        &mut self,
        hearing_id: &str,
        status: HearingStatus,
        outcome: Option<&str>,
        next_date: Option<&str>,
        between: impl FnOnce() -> Result<()>,
    ) -> Result<HearingOutcome> {
        self.record_hearing_outcome_steps(hearing_id, status, outcome, next_date, between)
    }

    fn record_hearing_outcome_steps(
        &mut self,
        hearing_id: &str,
        status: HearingStatus,
        outcome: Option<&str>,
        next_date: Option<&str>,
        between: impl FnOnce() -> Result<()>,
    ) -> Result<HearingOutcome> {
        self.writable()?;
        if status == HearingStatus::Scheduled {
            return Err(Invalid::field(
                "status",
                Reason::NotAnOutcome,
                "an outcome is what happened: held, adjourned, not_taken_up or decided",
            )
            .into());
        }
        date::check_day("next_date", next_date)?;
        let id = normalise_id(hearing_id);
        let tx = self.conn.transaction()?;
        let current = records::get(&tx, &id)?.ok_or_else(|| Error::RecordNotFound(id.clone()))?;
        let RecordData::Hearing(mut hearing) = current.data.clone() else {
            return Err(Invalid::field("hearing_id", Reason::WrongKind, "this id is not a hearing's").into());
        };
        if let Some(next) = next_date
            && next <= hearing.date.as_str()
        {
            return Err(Invalid::field(
                "next_date",
                Reason::NextDateNotAfter,
                "the next date must come after the hearing's date",
            )
            .into());
        }
        if !follow_ups(&tx, &id)?.is_empty() {
            return Err(Invalid::whole(
                Reason::OutcomeAlreadyRecorded,
                "this hearing's outcome was recorded with a next hearing already; change that hearing instead",
            )
            .into());
        }
        hearing.status = Some(status);
        // A blank outcome says nothing new: what was written before stays.
        if let Some(outcome) = outcome.filter(|o| !o.trim().is_empty()) {
            hearing.outcome = Some(outcome.to_owned());
        }
        if next_date.is_some() {
            hearing.next_date = next_date.map(str::to_owned);
        }
        // A hearing the case already has on the next date (added by hand, say) is the next
        // hearing: it is marked as following this one instead of a second hearing that day.
        let existing_next = match next_date {
            Some(date) => records::select(
                &tx,
                Kind::Hearing,
                "parent_id = ? AND json_extract(body, '$.date') = ?",
                "id",
                1,
                &[&hearing.case_id, &date],
            )?
            .into_iter()
            .next(),
            None => None,
        };
        let next_body = next_date.filter(|_| existing_next.is_none()).map(|date| Hearing {
            case_id: hearing.case_id.clone(),
            date: date.to_owned(),
            court: hearing.court.clone(),
            judge: hearing.judge.clone(),
            status: Some(HearingStatus::Scheduled),
            follows: Some(id.clone()),
            ..Hearing::default()
        });
        let mut data = RecordData::Hearing(hearing);
        data.validate(&Check::new(&*tx))?;
        let marked = Record { updated_at: now_utc(), data, ..current };
        let hash = records::update(&tx, &marked)?;
        audit::append(&tx, Action::RecordUpdate, Some(Kind::Hearing.as_str()), Some(&id), Some(&hash))?;
        between()?;
        let next = match (next_body, existing_next) {
            (Some(body), _) => Some(add_in(
                &tx,
                &mut IndexWriter::default(),
                Kind::Hearing,
                RecordData::Hearing(body).to_json(),
                Origin::New,
            )?),
            (None, Some(mut existing)) => {
                if let RecordData::Hearing(e) = &mut existing.data
                    && e.follows.is_none()
                {
                    e.follows = Some(id.clone());
                    existing.updated_at = now_utc();
                    let hash = records::update(&tx, &existing)?;
                    audit::append(
                        &tx,
                        Action::RecordUpdate,
                        Some(Kind::Hearing.as_str()),
                        Some(&existing.id),
                        Some(&hash),
                    )?;
                }
                Some(existing)
            }
            (None, None) => None,
        };
        tx.commit()?;
        Ok(HearingOutcome { hearing: marked, next })
    }

    /// Adds a deadline that follows from an event: `rule` (from the `deadline_rules` vocabulary)
    /// names the event and a default period; `record_id` is the record the event is on (a
    /// decided hearing for a judgment, a hearing with a compliance date, a refugee case for its
    /// papers' expiry or its deportation order). `days` overrides the rule's period, and is
    /// needed when the rule has none (the law differs by forum: the user sets it). The deadline
    /// is a task on the event's case, due `days` after the event, titled `title` (or the rule's
    /// English label), and names the rule, so its period's source stays beside it.
    pub fn add_deadline_from_event(
        &mut self,
        rule: &str,
        record_id: &str,
        days: Option<u32>,
        title: Option<&str>,
    ) -> Result<Record> {
        self.writable()?;
        let entry =
            vocab::entries(&self.conn, "deadline_rules")?.into_iter().find(|e| e.code == rule).ok_or_else(|| {
                Invalid::field("rule", Reason::NotInVocabulary, "is not in the deadline_rules vocabulary")
            })?;
        let event = entry.extra.get("event").and_then(Value::as_str).unwrap_or_default();
        let deadline_for: DeadlineFor = entry
            .extra
            .get("deadline_for")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or(DeadlineFor::Other);
        let days = match days
            .or_else(|| entry.extra.get("days").and_then(Value::as_u64).and_then(|d| u32::try_from(d).ok()))
        {
            Some(d) if d <= MAX_DEADLINE_DAYS => d,
            Some(_) => {
                return Err(Invalid::field(
                    "days",
                    Reason::TooLong,
                    format!("a period is at most {MAX_DEADLINE_DAYS} days"),
                )
                .into());
            }
            None => {
                return Err(Invalid::field(
                    "days",
                    Reason::Required,
                    "this rule ships no period (it differs by forum and law): give the period in days",
                )
                .into());
            }
        };
        let record = self.get(record_id)?;
        let (case_id, event_date) = event_date(&record, event)?;
        let due_on = date::add_days(&event_date, i64::from(days))
            .ok_or_else(|| Invalid::field("days", Reason::NotADay, "the due date falls outside the calendar"))?;
        let task = Task {
            title: title.map_or_else(|| entry.en.clone(), str::to_owned),
            due_on: Some(due_on),
            done: false,
            notes: None,
            case_id: Some(case_id),
            deadline: Some(deadline_for),
            deadline_rule: Some(entry.code.clone()),
        };
        let tx = self.conn.transaction()?;
        let added =
            add_in(&tx, &mut IndexWriter::default(), Kind::Task, RecordData::Task(task).to_json(), Origin::New)?;
        tx.commit()?;
        Ok(added)
    }

    /// The sections that match what a lawyer typed, in any of the spellings lawyers use (see
    /// [`vocab::find_sections`]), the user's own sections included. The app's charge picker
    /// calls this over IPC, so the window and `gawahi vocab VAULT sections --find` agree.
    pub fn find_sections(&self, query: &str) -> Result<Vec<SectionMatch>> {
        let sections = vocab::entries(&self.conn, "sections")?;
        let statutes = vocab::entries(&self.conn, "statutes")?;
        Ok(vocab::find_sections(&sections, &statutes, query))
    }

    /// Adds a section the shipped list lacks as the user's own entry of the `sections`
    /// vocabulary, so a charge under it can be entered, is found by [`Vault::find_sections`] and
    /// leaves with a full export. `section` is written as the statute writes it (`34`, `26-A`,
    /// `2(1)(d)`); `en` and `ur` are the labels (without them: `s.34` and `دفعہ 34`). Returns the
    /// entry; if the statute already has this section, returns that one and adds nothing.
    pub fn add_own_section(
        &mut self,
        statute: &str,
        section: &str,
        en: Option<&str>,
        ur: Option<&str>,
    ) -> Result<Entry> {
        self.writable()?;
        let section = section.trim();
        if section.is_empty() {
            return Err(Invalid::field("section", Reason::Required, "is required").into());
        }
        if section.chars().count() > 20 || !section.chars().all(|c| c.is_ascii_alphanumeric() || "-()/.".contains(c)) {
            return Err(Invalid::field(
                "section",
                Reason::BadVocabularyEntry,
                "a section is written with letters, digits, dashes and brackets, at most 20 characters (26-A, 2(1)(d))",
            )
            .into());
        }
        let statutes = vocab::entries(&self.conn, "statutes")?;
        if !statutes.iter().any(|s| s.code == statute) {
            return Err(Invalid::field("statute", Reason::NotInVocabulary, "is not in the statutes vocabulary").into());
        }
        for (field, label) in [("en", en), ("ur", ur)] {
            // A label is one line of text shown in lists: no control characters, and no bidi
            // controls that could make it read as something else beside other text.
            if label.is_some_and(|l| l.chars().any(|c| c.is_control() || is_bidi_control(c))) {
                let reason =
                    if label.is_some_and(|l| l.contains('\0')) { Reason::NulCharacter } else { Reason::NotOneLine };
                return Err(Invalid::field(
                    field,
                    reason,
                    "must be one line without control or text-direction characters",
                )
                .into());
            }
        }
        // The same section in another spelling (26-A for 26A, 337.A for 337-A) is the same
        // section: the entry there is returned, never a second one.
        let wanted = vocab::normalise_section(section);
        let sections = vocab::entries(&self.conn, "sections")?;
        if let Some(existing) = sections.iter().find(|e| {
            let written = e
                .extra
                .get("section")
                .and_then(Value::as_str)
                .map_or_else(|| e.code.rsplit_once('.').map_or(e.code.as_str(), |(_, s)| s).to_owned(), str::to_owned);
            e.parent.as_deref() == Some(statute) && vocab::normalise_section(&written) == wanted
        }) {
            return Ok(existing.clone());
        }
        // The code's tail keeps the section's parts apart with single dashes (337-a, 2-1-d);
        // its letters and digits are the normalised section's, so it cannot collide with the
        // code of another section.
        let tail: String = section
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let mut extra = Map::new();
        extra.insert("section".into(), Value::String(section.to_owned()));
        let entry = Entry {
            code: format!("{statute}.{tail}"),
            parent: Some(statute.to_owned()),
            en: en.map(str::trim).filter(|s| !s.is_empty()).map_or_else(|| format!("s.{section}"), str::to_owned),
            ur: ur.map(str::trim).filter(|s| !s.is_empty()).map_or_else(|| format!("دفعہ {section}"), str::to_owned),
            extra,
        };
        self.vocab_add("sections", &entry)?;
        Ok(entry)
    }
}

/// Whether `c` changes the direction of the text around it (embeddings, overrides, isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The hearings made by recording `id`'s outcome (normally none or one), all of them: an import
/// or edits may name one hearing in many, and a delete must unlink every one.
pub(super) fn follow_ups(conn: &rusqlite::Connection, id: &str) -> Result<Vec<Record>> {
    records::select(conn, Kind::Hearing, "json_extract(body, '$.follows') = ?", "id", usize::MAX >> 1, &[&id])
}

/// Checks the hearing a hearing `follows`, when that changed from `before` (a new record has
/// none before): it must be another hearing of the same case. `own_id` is the hearing's own id.
/// An unchanged reference is not checked again, so deleting the earlier hearing (which clears
/// it on its followers anyway) never leaves a hearing that cannot be changed. An import brings
/// its references as they were: one that names no hearing (deleted before the export) is kept.
pub(super) fn check_follows(
    conn: &rusqlite::Connection,
    own_id: &str,
    data: &RecordData,
    before: Option<&str>,
    origin: Origin,
) -> Result<()> {
    let RecordData::Hearing(hearing) = data else { return Ok(()) };
    let Some(follows) = hearing.follows.as_deref() else { return Ok(()) };
    if before == Some(follows) {
        return Ok(());
    }
    if follows == own_id {
        return Err(Invalid::field("follows", Reason::LinkToItself, "a hearing cannot follow itself").into());
    }
    match records::get(conn, follows)? {
        None if origin == Origin::Import => Ok(()),
        None => Err(Invalid::field("follows", Reason::NoSuchRecord, "no hearing has this id").into()),
        Some(earlier) => match &earlier.data {
            RecordData::Hearing(e) if e.case_id == hearing.case_id => Ok(()),
            RecordData::Hearing(_) => Err(Invalid::field(
                "follows",
                Reason::WrongKind,
                "this hearing is on another case; a hearing follows one of its own case",
            )
            .into()),
            _ => Err(Invalid::field(
                "follows",
                Reason::WrongKind,
                format!("this id is a {}'s, not a hearing's", earlier.kind()),
            )
            .into()),
        },
    }
}

/// Before a hearing is deleted: its followers no longer follow it, and the hearing it follows
/// no longer notes the date of a next hearing that is gone (or that date would come back as a
/// hearing of its own). Each change is audited, in the caller's transaction.
pub(super) fn unlink_hearing(conn: &rusqlite::Connection, deleted: &Record) -> Result<()> {
    let RecordData::Hearing(hearing) = &deleted.data else { return Ok(()) };
    let mut changed = Vec::new();
    for mut follower in follow_ups(conn, &deleted.id)? {
        if let RecordData::Hearing(f) = &mut follower.data {
            f.follows = None;
        }
        changed.push(follower);
    }
    if let Some(earlier_id) = hearing.follows.as_deref()
        && let Some(mut earlier) = records::get(conn, earlier_id)?
        && let RecordData::Hearing(e) = &mut earlier.data
        && e.next_date.is_some()
    {
        e.next_date = None;
        changed.push(earlier);
    }
    for mut record in changed {
        record.updated_at = now_utc();
        let hash = records::update(conn, &record)?;
        audit::append(conn, Action::RecordUpdate, Some(Kind::Hearing.as_str()), Some(&record.id), Some(&hash))?;
    }
    Ok(())
}

/// The case and the day of the event `event` on `record`.
fn event_date(record: &Record, event: &str) -> Result<(String, String)> {
    let missing = |field: &str| -> Error {
        Invalid::field(field, Reason::Required, "the record has no date for this event; add it first").into()
    };
    let wrong = || -> Error {
        Invalid::field("record_id", Reason::WrongKind, "this rule's event is not on a record of this kind").into()
    };
    match (&record.data, event) {
        // A judgment is the outcome of a decided hearing: an adjourned one has none to appeal.
        (RecordData::Hearing(h), "judgment") if h.status == Some(HearingStatus::Decided) => {
            Ok((h.case_id.clone(), h.date.clone()))
        }
        (RecordData::Hearing(_), "judgment") => Err(Invalid::field(
            "status",
            Reason::Required,
            "the hearing is not marked decided; record its outcome as decided first",
        )
        .into()),
        (RecordData::Hearing(h), "compliance") => {
            Ok((h.case_id.clone(), h.compliance_on.clone().ok_or_else(|| missing("compliance_on"))?))
        }
        (RecordData::Case(c), "documentation_expiry") => Ok((
            record.id.clone(),
            c.refugee
                .as_ref()
                .and_then(|r| r.documentation_expires_on.clone())
                .ok_or_else(|| missing("refugee.documentation_expires_on"))?,
        )),
        (RecordData::Case(c), "deportation_order") => Ok((
            record.id.clone(),
            c.refugee
                .as_ref()
                .and_then(|r| r.deportation_order_on.clone())
                .ok_or_else(|| missing("refugee.deportation_order_on"))?,
        )),
        _ => Err(wrong()),
    }
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Draft {
    /// The form's values, as the UI saved them.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub body: Value,
    /// When it was saved (RFC 3339, UTC).
    pub saved_at: String,
}

/// The largest draft kept, in bytes of JSON: a form with a long narrative fits many times over.
pub const MAX_DRAFT_BYTES: usize = 1 << 20;
/// The longest draft key, in characters.
pub const MAX_DRAFT_KEY: usize = 200;
/// The most drafts kept at once: enough for every form left open, few enough that a loop saving
/// under new keys cannot fill the disk.
pub const MAX_DRAFTS: u64 = 100;

impl Vault {
    /// Saves what the user was typing in a form under `key` (the UI's name for the form, such as
    /// `edit/<record id>` or `new/case`), replacing any draft there. Encrypted with the rest of
    /// the database, so an auto-lock in the middle of an edit loses nothing and leaves no
    /// plaintext anywhere. Bounded: [`MAX_DRAFT_BYTES`], [`MAX_DRAFT_KEY`], [`MAX_DRAFTS`].
    pub fn save_draft(&mut self, key: &str, body: &Value) -> Result<()> {
        self.writable()?;
        check_draft_key(key)?;
        let text = serde_json::to_string(body).unwrap_or_default();
        if text.len() > MAX_DRAFT_BYTES {
            return Err(
                Invalid::field("body", Reason::TooLong, format!("a draft is at most {MAX_DRAFT_BYTES} bytes")).into()
            );
        }
        if text.contains("\\u0000") {
            return Err(Invalid::field(
                "body",
                Reason::NulCharacter,
                "contains a NUL character, which no text may hold",
            )
            .into());
        }
        let tx = self.conn.transaction()?;
        if crate::store::drafts::load(&tx, key)?.is_none() && crate::store::drafts::count(&tx)? >= MAX_DRAFTS {
            return Err(Invalid::field(
                "key",
                Reason::TooLong,
                format!("at most {MAX_DRAFTS} drafts are kept; discard some"),
            )
            .into());
        }
        crate::store::drafts::save(&tx, key, &text, &now_utc())?;
        tx.commit()?;
        Ok(())
    }

    /// The draft saved under `key`, if there is one.
    pub fn load_draft(&self, key: &str) -> Result<Option<Draft>> {
        check_draft_key(key)?;
        Ok(match crate::store::drafts::load(&self.conn, key)? {
            Some((text, saved_at)) => {
                Some(Draft { body: serde_json::from_str(&text).map_err(|_| Error::CorruptDatabase)?, saved_at })
            }
            None => None,
        })
    }

    /// Throws away the draft under `key` (after the form is saved or cancelled); whether there
    /// was one.
    pub fn discard_draft(&mut self, key: &str) -> Result<bool> {
        self.writable()?;
        check_draft_key(key)?;
        crate::store::drafts::discard(&self.conn, key)
    }
}

fn check_draft_key(key: &str) -> Result<()> {
    if key.trim().is_empty() {
        return Err(Invalid::field("key", Reason::Required, "is required").into());
    }
    if key.chars().count() > MAX_DRAFT_KEY {
        return Err(Invalid::field("key", Reason::TooLong, format!("is longer than {MAX_DRAFT_KEY} characters")).into());
    }
    if key.chars().any(char::is_control) {
        return Err(Invalid::field("key", Reason::NotOneLine, "must be one line without control characters").into());
    }
    Ok(())
}
