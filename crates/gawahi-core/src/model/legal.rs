//! Legal work: cases of every kind with their details, hearings, referrals; and the case's own
//! validation rules (which details fit which kind of case, which status).

use serde::{Deserialize, Serialize};

use super::date::{self, Precision};
use super::validate::{Check, long, required, short};
use crate::error::{Invalid, Reason, Result};

/// The kinds of legal case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A domestic criminal case against a defender (PECA, ATA, PPC, MPO).
    #[default]
    Criminalisation,
    /// An enforced disappearance.
    EnforcedDisappearance,
    /// A Pakistani detained abroad.
    DetainedAbroad,
    /// A refugee facing detention or deportation.
    RefugeeDeportation,
    /// Protection or relocation.
    Protection,
}

impl CaseKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Criminalisation => "criminalisation",
            Self::EnforcedDisappearance => "enforced_disappearance",
            Self::DetainedAbroad => "detained_abroad",
            Self::RefugeeDeportation => "refugee_deportation",
            Self::Protection => "protection",
        }
    }
}

/// A charge: a statute and a section of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Charge {
    /// The statute, from the `statutes` vocabulary (`peca_2016`).
    pub statute: String,
    /// The section as written (`20`, `295-C`, `11-EE`), from the `sections` vocabulary.
    pub section: String,
}

/// Where bail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BailStatus {
    /// Not applied for.
    NotApplied,
    /// Applied for, pending.
    Applied,
    /// Granted.
    Granted,
    /// Refused.
    Refused,
    /// Granted, then cancelled.
    Cancelled,
}

/// What is known of a disappeared person now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DisappearanceOutcome {
    /// Still missing.
    #[default]
    Missing,
    /// Returned.
    Returned,
    /// In custody, acknowledged by the state.
    CustodyAcknowledged,
    /// Found dead.
    FoundDead,
}

/// Details of an enforced-disappearance case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Disappearance {
    /// When the person was last seen.
    pub last_seen_on: Option<String>,
    /// The precision of `last_seen_on`.
    pub last_seen_precision: Option<Precision>,
    /// Where.
    pub last_seen_place: Option<String>,
    /// The agency suspected, from the `bodies` vocabulary.
    pub suspected_agency: Option<String>,
    /// Number of the habeas corpus petition in the High Court.
    pub habeas_petition_number: Option<String>,
    /// Case number at the Commission of Inquiry on Enforced Disappearances.
    pub coied_case_number: Option<String>,
    /// Case number at the UN Working Group (WGEID).
    pub wgeid_case_number: Option<String>,
    /// What is known now.
    pub outcome: DisappearanceOutcome,
}

/// The legal status of a Pakistani detained abroad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LegalStatusAbroad {
    /// Under investigation.
    UnderInvestigation,
    /// On trial.
    OnTrial,
    /// Convicted.
    Convicted,
    /// On death row.
    DeathRow,
    /// On appeal.
    Appeal,
    /// Released.
    Released,
}

/// Details of a case of a Pakistani detained abroad.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct DetentionAbroad {
    /// Country, from the `countries` vocabulary.
    pub country: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Prison.
    pub prison: Option<String>,
    /// The charge, in the foreign law's words.
    pub charge: Option<String>,
    /// Legal status.
    pub legal_status: Option<LegalStatusAbroad>,
    /// Sentence, if any.
    pub sentence: Option<String>,
    /// Whether consular access was given.
    pub consular_access: Option<bool>,
    /// When consular access was given.
    pub consular_access_on: Option<String>,
    /// The detainee's lawyer.
    pub lawyer: Option<String>,
    /// Whether the family is in contact.
    pub family_contact: Option<bool>,
    /// Transfer or repatriation status (prisoner transfer agreement).
    pub transfer_status: Option<String>,
    /// When the person was arrested. Written only when known (added after the first vaults).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub arrested_on: Option<String>,
    /// When the sentence was passed. Written only when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub sentenced_on: Option<String>,
}

/// Details of a refugee or deportation case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct RefugeeCase {
    /// Nationality, from the `countries` vocabulary.
    pub nationality: Option<String>,
    /// Papers held, from the `documentation_types` vocabulary.
    pub documentation: Option<String>,
    /// When those papers expire.
    pub documentation_expires_on: Option<String>,
    /// Arrested or detained under section 14 of the Foreigners Act 1946.
    pub arrested_under_foreigners_act: bool,
    /// Date of the deportation order.
    pub deportation_order_on: Option<String>,
    /// Date of deportation.
    pub deported_on: Option<String>,
    /// UNHCR, resettlement or relocation case number.
    pub unhcr_case_number: Option<String>,
    /// Why the person is at risk if returned (e.g. former prosecutor or judge).
    pub at_risk_profile: Option<String>,
}

/// The measure a protection case seeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProtectionMeasure {
    /// An emergency visa.
    EmergencyVisa,
    /// Asylum.
    Asylum,
    /// A shelter programme.
    Shelter,
    /// A grant.
    Grant,
    /// Relocation.
    Relocation,
}

/// Details of a protection or relocation case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct ProtectionCase {
    /// The measure sought.
    pub measure: Option<ProtectionMeasure>,
    /// Who provides it (embassy, fund, programme).
    pub provider: Option<String>,
    /// When it was applied for.
    pub applied_on: Option<String>,
    /// When it was decided.
    pub decided_on: Option<String>,
}

/// One legal matter in one forum.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Case {
    /// A short title.
    pub title: String,
    /// The kind of case; decides which details block it may carry. (Named `case_kind` because
    /// `kind` is the record's kind in every JSON envelope and import line.)
    pub case_kind: CaseKind,
    /// Status, from the `case_statuses` vocabulary (and allowed for this kind).
    pub status: Option<String>,
    /// FIR or case number.
    pub fir_number: Option<String>,
    /// Date of the FIR.
    pub fir_date: Option<String>,
    /// Police station that registered the FIR.
    pub police_station: Option<String>,
    /// Investigating agency, from the `bodies` vocabulary.
    pub investigating_agency: Option<String>,
    /// Forum, from the `courts` vocabulary.
    pub court: Option<String>,
    /// Judge.
    pub judge: Option<String>,
    /// Charges.
    pub charges: Vec<Charge>,
    /// Bail.
    pub bail: Option<BailStatus>,
    /// Details of an enforced-disappearance case.
    pub disappearance: Option<Disappearance>,
    /// Details of a case of detention abroad.
    pub detention_abroad: Option<DetentionAbroad>,
    /// Details of a refugee or deportation case.
    pub refugee: Option<RefugeeCase>,
    /// Details of a protection case.
    pub protection: Option<ProtectionCase>,
    /// Free notes.
    pub notes: Option<String>,
    /// Bail as it happened: each application, order, confirmation or cancellation, with its date,
    /// court, surety and conditions. `bail` above stays the status at a glance. Written only when
    /// there are some, so a case stored before this field existed reads and hashes as it did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<BailEvent>>", optional))]
    pub bail_events: Vec<BailEvent>,
    /// Every status the case has had, oldest first, each with the day it was set. The vault adds
    /// an entry whenever `status` changes; written only when there is one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<StatusChange>>", optional))]
    pub status_history: Vec<StatusChange>,
}

/// What a bail event was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BailEventKind {
    /// An application was filed.
    Applied,
    /// Interim (ad-interim) pre-arrest bail granted, until the next date.
    InterimGranted,
    /// Interim bail confirmed.
    Confirmed,
    /// Bail granted.
    Granted,
    /// Bail refused.
    Refused,
    /// Interim bail recalled.
    Recalled,
    /// Bail cancelled (CrPC s.497(5)).
    Cancelled,
}

/// Whether bail is sought before or after arrest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BailStage {
    /// Pre-arrest bail (CrPC s.498).
    PreArrest,
    /// Post-arrest bail (CrPC s.497).
    PostArrest,
}

/// One bail event: an application, an order, a confirmation, a cancellation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct BailEvent {
    /// The day (`YYYY-MM-DD`).
    pub on: String,
    /// What happened; `None` only in a body being typed, refused by validation.
    pub event: Option<BailEventKind>,
    /// Pre- or post-arrest.
    pub stage: Option<BailStage>,
    /// The court, from the `courts` vocabulary.
    pub court: Option<String>,
    /// The surety bond's amount in rupees (PKR).
    pub surety_amount_pkr: Option<u64>,
    /// Who stood surety (a name, as the order gives it).
    pub surety: Option<String>,
    /// Conditions imposed.
    pub conditions: Option<String>,
    /// The order, as the court wrote it or summarised.
    pub order: Option<String>,
}

/// A status a case was given, and when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct StatusChange {
    /// The day (`YYYY-MM-DD`).
    pub on: String,
    /// The status, from the `case_statuses` vocabulary.
    pub status: String,
}

/// A hearing of a case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Hearing {
    /// The case heard.
    pub case_id: String,
    /// The day of the hearing.
    pub date: String,
    /// Purpose (arguments on bail, framing of charges…).
    pub purpose: Option<String>,
    /// Outcome, including any order.
    pub outcome: Option<String>,
    /// The next date fixed.
    pub next_date: Option<String>,
    /// Forum, from the `courts` vocabulary, if not the case's.
    pub court: Option<String>,
    /// Judge.
    pub judge: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// What became of the hearing. Hearings stored before this field existed have none: their
    /// status is read from their date and next date (see [`Hearing::status_on`]), so they keep
    /// reading and hashing exactly as they were written.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub status: Option<HearingStatus>,
    /// The hearing at which this one's date was fixed, when it was made by recording that
    /// hearing's outcome ([`crate::Vault::record_hearing_outcome`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub follows: Option<String>,
    /// A day by which the court ordered something done (a reply, a report, the record produced):
    /// a deadline on the dashboard until it passes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub compliance_on: Option<String>,
}

/// What became of a hearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HearingStatus {
    /// Fixed and yet to happen (or not yet recorded).
    Scheduled,
    /// Heard: arguments, evidence, an order other than the final one.
    Held,
    /// Adjourned to another date (on a party's request, a strike, the record not produced…).
    Adjourned,
    /// Not taken up: the judge on leave, the case not reached on the cause list.
    NotTakenUp,
    /// Decided: the judgment or final order announced.
    Decided,
}

impl HearingStatus {
    /// The status's code, as JSON and the command line write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Held => "held",
            Self::Adjourned => "adjourned",
            Self::NotTakenUp => "not_taken_up",
            Self::Decided => "decided",
        }
    }

    /// The status with this code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Scheduled, Self::Held, Self::Adjourned, Self::NotTakenUp, Self::Decided]
            .into_iter()
            .find(|s| s.as_str() == code)
    }

    /// Whether the date is still to come (or its outcome is still to be recorded).
    pub fn is_pending(self) -> bool {
        self == Self::Scheduled
    }
}

impl Hearing {
    /// The hearing's status as of `today` (`YYYY-MM-DD`). A stored status is the status. A
    /// hearing stored without one (before hearings had a status) reads as: scheduled if its date
    /// is later than today; adjourned if a next date was noted on it (the way an adjournment used
    /// to be recorded); scheduled if it is today; otherwise held. This is the mapping of existing
    /// hearings: done when read, because rewriting their bodies would change what their audit
    /// entries vouch for.
    pub fn status_on(&self, today: &str) -> HearingStatus {
        match self.status {
            Some(s) => s,
            None if self.date.as_str() > today => HearingStatus::Scheduled,
            None if self.next_date.is_some() => HearingStatus::Adjourned,
            None if self.date.as_str() == today => HearingStatus::Scheduled,
            None => HearingStatus::Held,
        }
    }
}

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// Being prepared.
    #[default]
    Planned,
    /// Sent.
    Sent,
    /// Acknowledged by the recipient.
    Acknowledged,
    /// Acted on / granted.
    Granted,
    /// Declined.
    Declined,
    /// Closed.
    Closed,
}

/// A referral or intervention.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields, default)]
pub struct Referral {
    /// A short title.
    pub title: String,
    /// To whom, from the `referral_targets` vocabulary.
    pub target: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The recipient's reference number.
    pub reference_number: Option<String>,
    /// When it was sent.
    pub sent_on: Option<String>,
    /// When to follow up.
    pub follow_up_on: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

pub(super) fn validate_case(c: &mut Case, check: &Check<'_>) -> Result<()> {
    required("title", &c.title)?;
    if let Some(status) = c.status.as_deref() {
        check.vocab("status", "case_statuses", Some(status))?;
        let kinds = check.vocab_extra("case_statuses", status, "kinds")?.unwrap_or_else(|| "all".to_owned());
        if kinds != "all" && !kinds.split(',').any(|k| k.trim() == c.case_kind.as_str()) {
            return Err(Invalid::field(
                "status",
                Reason::StatusNotForCaseKind,
                format!("this status does not apply to a {} case", c.case_kind.as_str()),
            )
            .into());
        }
    }
    short("fir_number", c.fir_number.as_deref())?;
    date::check_day("fir_date", c.fir_date.as_deref())?;
    short("police_station", c.police_station.as_deref())?;
    check.vocab("investigating_agency", "bodies", c.investigating_agency.as_deref())?;
    check.vocab("court", "courts", c.court.as_deref())?;
    short("judge", c.judge.as_deref())?;
    for (i, charge) in c.charges.iter().enumerate() {
        check.charge(i, charge)?;
    }
    long("notes", c.notes.as_deref())?;

    let blocks = [
        ("disappearance", c.disappearance.is_some(), CaseKind::EnforcedDisappearance),
        ("detention_abroad", c.detention_abroad.is_some(), CaseKind::DetainedAbroad),
        ("refugee", c.refugee.is_some(), CaseKind::RefugeeDeportation),
        ("protection", c.protection.is_some(), CaseKind::Protection),
    ];
    for (field, present, kind) in blocks {
        if present && c.case_kind != kind {
            return Err(Invalid::field(
                field,
                Reason::DetailsNotForCaseKind,
                format!("only a {} case has these details; this case is {}", kind.as_str(), c.case_kind.as_str()),
            )
            .into());
        }
    }
    if let Some(d) = &mut c.disappearance {
        d.last_seen_precision = Some(
            date::check_partial("last_seen_on", d.last_seen_on.as_deref(), d.last_seen_precision)
                .map_err(|e| e.within("disappearance"))?,
        );
        short("disappearance.last_seen_place", d.last_seen_place.as_deref())?;
        check.vocab("disappearance.suspected_agency", "bodies", d.suspected_agency.as_deref())?;
        short("disappearance.habeas_petition_number", d.habeas_petition_number.as_deref())?;
        short("disappearance.coied_case_number", d.coied_case_number.as_deref())?;
        short("disappearance.wgeid_case_number", d.wgeid_case_number.as_deref())?;
    }
    if let Some(d) = &c.detention_abroad {
        check.vocab("detention_abroad.country", "countries", d.country.as_deref())?;
        short("detention_abroad.city", d.city.as_deref())?;
        short("detention_abroad.prison", d.prison.as_deref())?;
        long("detention_abroad.charge", d.charge.as_deref())?;
        short("detention_abroad.sentence", d.sentence.as_deref())?;
        date::check_day("detention_abroad.consular_access_on", d.consular_access_on.as_deref())?;
        short("detention_abroad.lawyer", d.lawyer.as_deref())?;
        short("detention_abroad.transfer_status", d.transfer_status.as_deref())?;
    }
    if let Some(r) = &c.refugee {
        check.vocab("refugee.nationality", "countries", r.nationality.as_deref())?;
        check.vocab("refugee.documentation", "documentation_types", r.documentation.as_deref())?;
        date::check_day("refugee.documentation_expires_on", r.documentation_expires_on.as_deref())?;
        date::check_day("refugee.deportation_order_on", r.deportation_order_on.as_deref())?;
        date::check_day("refugee.deported_on", r.deported_on.as_deref())?;
        short("refugee.unhcr_case_number", r.unhcr_case_number.as_deref())?;
        long("refugee.at_risk_profile", r.at_risk_profile.as_deref())?;
    }
    if let Some(p) = &c.protection {
        short("protection.provider", p.provider.as_deref())?;
        date::check_day("protection.applied_on", p.applied_on.as_deref())?;
        date::check_day("protection.decided_on", p.decided_on.as_deref())?;
    }
    if let Some(d) = &c.detention_abroad {
        date::check_day("detention_abroad.arrested_on", d.arrested_on.as_deref())?;
        date::check_day("detention_abroad.sentenced_on", d.sentenced_on.as_deref())?;
    }
    if c.bail_events.len() > MAX_EVENTS || c.status_history.len() > MAX_EVENTS {
        let field = if c.bail_events.len() > MAX_EVENTS { "bail_events" } else { "status_history" };
        return Err(Invalid::field(field, Reason::TooLong, format!("holds more than {MAX_EVENTS} entries")).into());
    }
    for (i, b) in c.bail_events.iter().enumerate() {
        let at = |f: &str| format!("bail_events[{i}].{f}");
        required(&at("on"), &b.on)?;
        date::check_day(&at("on"), Some(&b.on))?;
        if b.event.is_none() {
            return Err(Invalid::field(at("event"), Reason::Required, "is required").into());
        }
        check.vocab(&at("court"), "courts", b.court.as_deref())?;
        short(&at("surety"), b.surety.as_deref())?;
        long(&at("conditions"), b.conditions.as_deref())?;
        long(&at("order"), b.order.as_deref())?;
    }
    for (i, h) in c.status_history.iter().enumerate() {
        let at = |f: &str| format!("status_history[{i}].{f}");
        required(&at("on"), &h.on)?;
        date::check_day(&at("on"), Some(&h.on))?;
        required(&at("status"), &h.status)?;
        check.vocab(&at("status"), "case_statuses", Some(&h.status))?;
    }
    Ok(())
}

/// The most entries a case's bail events or status history may hold: far more than any case
/// sees, and a bound on what one body can make the vault store and the timeline show.
pub(crate) const MAX_EVENTS: usize = 1_000;
