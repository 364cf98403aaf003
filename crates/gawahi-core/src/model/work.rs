//! The defender's and the lawyer's own work: follow-ups, preparations, deadlines.

use serde::{Deserialize, Serialize};

/// A follow-up, a hearing preparation or a deadline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Task {
    /// What to do.
    pub title: String,
    /// When it is due.
    pub due_on: Option<String>,
    /// Whether it is done.
    pub done: bool,
    /// Free notes.
    pub notes: Option<String>,
    /// The case this task belongs to, if any (a deadline's case). Like a hearing's case, it is
    /// also kept in the record's parent column, so a case with deadlines is not deleted by
    /// accident. Written only when set, as are the fields below (added after the first vaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub case_id: Option<String>,
    /// What the deadline is for; a task with one is a deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deadline: Option<DeadlineFor>,
    /// The rule the due date was worked out by, from the `deadline_rules` vocabulary (its period
    /// and legal source).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub deadline_rule: Option<String>,
}

/// What a deadline is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineFor {
    /// Filing an appeal.
    Appeal,
    /// Filing a revision.
    Revision,
    /// Filing a petition (writ, habeas corpus, bail).
    Petition,
    /// Doing what a court ordered by a date.
    Compliance,
    /// Renewing papers before they expire (PoR card, visa).
    DocumentExpiry,
    /// Acting before a deportation.
    Deportation,
    /// Replying to a UN communication or another body.
    Reply,
    /// Anything else.
    Other,
}

impl DeadlineFor {
    /// The code, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Appeal => "appeal",
            Self::Revision => "revision",
            Self::Petition => "petition",
            Self::Compliance => "compliance",
            Self::DocumentExpiry => "document_expiry",
            Self::Deportation => "deportation",
            Self::Reply => "reply",
            Self::Other => "other",
        }
    }
}
