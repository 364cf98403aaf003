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
}
