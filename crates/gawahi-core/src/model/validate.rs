//! Validation that needs more than the types: texts' lengths and lines, coordinates, and the
//! vocabularies and records a value must name. What the model needs to know of the vault is asked
//! through [`Lookup`], which the store implements: no SQL here.

use serde_json::{Map, Value};

use super::{Charge, Kind};
use crate::error::{Error, Invalid, Reason, Result};

/// Longest single-line text (titles, names, numbers), in characters.
pub(crate) const SHORT_TEXT: usize = 1_000;
/// Longest free text (descriptions, narratives, notes), in characters.
pub(crate) const LONG_TEXT: usize = 200_000;

/// What validation asks of the vault.
pub trait Lookup {
    /// The parent code and the `extra` JSON of `code` in vocabulary `vocab`, if it is there.
    fn vocab_entry(&self, vocab: &str, code: &str) -> Result<Option<(Option<String>, Option<String>)>>;
    /// Whether a section of `statute` is written `section` (as the statute writes it: `2(1)(d)`).
    fn section_as_written(&self, statute: &str, section: &str) -> Result<bool>;
    /// The kind of the record with `id`, if there is one.
    fn record_kind(&self, id: &str) -> Result<Option<String>>;
}

/// Validation that needs the database: vocabularies and references to other records.
#[derive(Debug)]
pub struct Check<'c> {
    lookup: &'c dyn Lookup,
}

impl std::fmt::Debug for dyn Lookup + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

impl<'c> Check<'c> {
    /// Checks against what `lookup` knows of the vault.
    pub fn new(lookup: &'c dyn Lookup) -> Self {
        Self { lookup }
    }

    fn entry(&self, vocab: &str, code: &str) -> Result<Option<(Option<String>, Option<String>)>> {
        self.lookup.vocab_entry(vocab, code)
    }

    /// Checks that `code` (if any) is in `vocab`.
    pub fn vocab(&self, field: &str, vocab: &str, code: Option<&str>) -> Result<()> {
        if let Some(code) = code
            && self.entry(vocab, code)?.is_none()
        {
            return Err(unknown_code(field, vocab));
        }
        Ok(())
    }

    pub(crate) fn vocab_list(&self, field: &str, vocab: &str, codes: &[String]) -> Result<()> {
        for (i, code) in codes.iter().enumerate() {
            self.vocab(&format!("{field}[{i}]"), vocab, Some(code))?;
        }
        Ok(())
    }

    pub(crate) fn vocab_extra(&self, vocab: &str, code: &str, key: &str) -> Result<Option<String>> {
        let extra = self.entry(vocab, code)?.and_then(|(_, extra)| extra);
        Ok(extra
            .and_then(|e| serde_json::from_str::<Map<String, Value>>(&e).ok())
            .and_then(|m| m.get(key).and_then(Value::as_str).map(str::to_owned)))
    }

    pub(crate) fn place(
        &self,
        province_field: &str,
        district_field: &str,
        province: Option<&str>,
        district: Option<&str>,
    ) -> Result<()> {
        self.vocab(province_field, "provinces", province)?;
        let Some(district) = district else { return Ok(()) };
        let Some((parent, _)) = self.entry("districts", district)? else {
            return Err(unknown_code(district_field, "districts"));
        };
        match (province, parent.as_deref()) {
            (Some(p), Some(parent)) if p != parent => Err(Invalid::field(
                district_field,
                Reason::DistrictNotInProvince,
                "this district is not in the province given",
            )
            .into()),
            _ => Ok(()),
        }
    }

    pub(crate) fn charge(&self, index: usize, charge: &Charge) -> Result<()> {
        let at = format!("charges[{index}]");
        self.vocab(&format!("{at}.statute"), "statutes", Some(&charge.statute))?;
        let code = format!("{}.{}", charge.statute, charge.section.to_lowercase());
        // A section is found by its code's tail (`295-c`) or as the statute writes it
        // (`2(1)(d)`, kept in the entry's `extra.section`).
        let as_written = self.lookup.section_as_written(&charge.statute, &charge.section)?;
        match self.entry("sections", &code)? {
            Some((Some(parent), _)) if parent == charge.statute => Ok(()),
            _ if as_written => Ok(()),
            _ => Err(Invalid::field(
                format!("{at}.section"), Reason::NotInVocabulary,
                "this section is not in the sections vocabulary for the statute given; add it with `gawahi vocab … --add` if it is missing",
            )
            .into()),
        }
    }

    /// Checks that `id`, if a record has it, is a record of `kind`; an id no record has passes.
    pub fn record_if_present(&self, field: &str, id: &str, kind: Kind) -> Result<()> {
        if self.lookup.record_kind(id)?.is_none() {
            return Ok(());
        }
        self.record(field, id, kind)
    }

    /// Checks that `id` names an existing record of `kind`.
    pub fn record(&self, field: &str, id: &str, kind: Kind) -> Result<()> {
        if id.trim().is_empty() {
            return Err(Invalid::field(field, Reason::Required, format!("is required: the id of a {kind}")).into());
        }
        let found = self.lookup.record_kind(id)?;
        match found {
            Some(k) if k == kind.as_str() => Ok(()),
            Some(k) => {
                Err(Invalid::field(field, Reason::WrongKind, format!("this id is a {k}'s, not a {kind}'s")).into())
            }
            None => Err(Invalid::field(field, Reason::NoSuchRecord, format!("no {kind} has this id")).into()),
        }
    }
}

fn unknown_code(field: &str, vocab: &str) -> Error {
    Invalid::field(
        field,
        Reason::NotInVocabulary,
        format!("is not in the {vocab} vocabulary; see `gawahi vocab <VAULT> {vocab}`"),
    )
    .into()
}

pub(crate) fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

pub(crate) fn required(field: &str, value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::field(field, Reason::Required, "is required"));
    }
    short(field, Some(value))
}

pub(crate) fn short(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if v.chars().count() > SHORT_TEXT => {
            Err(Invalid::field(field, Reason::TooLong, format!("is longer than {SHORT_TEXT} characters")))
        }
        Some(v) if v.contains('\n') => Err(Invalid::field(field, Reason::NotOneLine, "must be a single line")),
        _ => Ok(()),
    }
}

pub(crate) fn long(field: &str, value: Option<&str>) -> Result<(), Invalid> {
    match value {
        Some(v) if v.chars().count() > LONG_TEXT => {
            Err(Invalid::field(field, Reason::TooLong, format!("is longer than {LONG_TEXT} characters")))
        }
        _ => Ok(()),
    }
}

pub(crate) fn coordinate(field: &str, value: Option<f64>, limit: f64) -> Result<(), Invalid> {
    match value {
        Some(v) if !v.is_finite() || v.abs() > limit => {
            Err(Invalid::field(field, Reason::NotACoordinate, format!("expected degrees between -{limit} and {limit}")))
        }
        _ => Ok(()),
    }
}
