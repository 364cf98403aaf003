//! Court casework in the real window, in English and in Urdu: an adjournment recorded in one
//! step shows its next date once on the calendar, the dashboard and the case's timeline; the
//! dashboard warns of deadlines and marks the overdue ones; leaving an edited form asks first and
//! Enter does not save it; an auto-lock in the middle of an edit keeps the draft, and unlocking
//! returns to the form with it. In Urdu, a scan of every screen finds no English left untranslated.

use std::time::Duration;

use chrono::Datelike;

use serde_json::json;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;

use crate::vaults::{LONG, PASSPHRASE, scan_screen, unlock};

const CASE_TITLE: &str = "State v. Rehana (PECA s.20)";
const PURPOSE: &str = "Bail arguments";
const APPEAL: &str = "Appeal to the Sessions Court";
const REPLY: &str = "Reply to the FIA notice";
const OUTCOME: &str = "Adjourned: the prosecutor sought time";
const DRAFT_TITLE: &str = "State v. Rehana, typed before the lock";
const LEFT_TITLE: &str = "A title typed and then left";
/// A bail order as a lawyer notes it, and the surety named in it (in Urdu, as the order gives it).
const BAIL_ORDER: &str = "Interim pre-arrest bail granted till the next date";
const SURETY: &str = "محمد اسلم";
/// A second case, in Urdu, heard tomorrow in another court: the cause list groups by court.
const PETITION: &str = "لاپتہ شہری کی بازیابی کی آئینی درخواست";

/// Short names of statutes and papers, written in Latin letters in Urdu legal writing too; and
/// SHA-256, the name of the standard every evidence file's fingerprint is taken by, which a
/// forensic report in Urdu also writes in Latin letters (the evidence panel names it); and
/// WGEID, the UN working group on disappearances, named in Urdu beside the acronym its case
/// numbers are filed under (a disappearance case's editor).
const KEPT: &[&str] = &["PECA", "PPC", "CrPC", "ATA", "FIR", "PoR", "SHA", "WGEID", "CSV", "PNG", "PDF"];

/// The shortest auto-lock the settings allow; the app process keeps the time, so the test waits.
const MINUTE: Duration = Duration::from_mins(1);

/// The local date `days` from today, as the app's date inputs take it.
fn days_from_today(days: i64) -> String {
    (chrono::Local::now().date_naive() + chrono::TimeDelta::days(days)).format("%Y-%m-%d").to_string()
}

/// A vault with a PECA case, its hearing today (not yet recorded), a deadline for an appeal due in
/// three days and a reply overdue by two.
fn court_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    let obj = |v: serde_json::Value| v.as_object().expect("object").clone();
    let case = v
        .add(
            Kind::Case,
            obj(json!({"title": CASE_TITLE, "case_kind": "criminalisation", "court": "judicial_magistrate",
                       "fir_number": "FIR 112/2026",
                       "charges": [{"statute": "peca_2016", "section": "20"}]})),
        )
        .expect("case");
    v.add(Kind::Hearing, obj(json!({"case_id": case.id, "date": days_from_today(0), "purpose": PURPOSE})))
        .expect("hearing");
    let petition = v
        .add(
            Kind::Case,
            obj(json!({"title": PETITION, "case_kind": "enforced_disappearance",
                       "court": "balochistan_high_court", "fir_number": "C.P. 1043/2026"})),
        )
        .expect("petition");
    v.add(
        Kind::Hearing,
        obj(json!({"case_id": petition.id, "date": days_from_today(1), "purpose": "پولیس رپورٹ طلب"})),
    )
    .expect("petition hearing");
    v.add(
        Kind::Task,
        obj(json!({"title": APPEAL, "due_on": days_from_today(3), "done": false, "case_id": case.id,
                   "deadline": "appeal"})),
    )
    .expect("appeal deadline");
    v.add(
        Kind::Task,
        obj(json!({"title": REPLY, "due_on": days_from_today(-2), "done": false, "case_id": case.id,
                   "deadline": "reply"})),
    )
    .expect("reply deadline");
    v.lock();
    (home, path)
}

/// The local date `days` from today written day first, as a lawyer types it: in Urdu digits
/// for the Urdu window (`۲۷/۱۱/۲۰۲۶`), which the app reads as well as Latin ones.
fn typed_day(days: i64, lang: &str) -> String {
    let latin = (chrono::Local::now().date_naive() + chrono::TimeDelta::days(days)).format("%d/%m/%Y").to_string();
    if lang != "ur" {
        return latin;
    }
    latin.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap_or(c))).collect()
}

/// The 15th of last month (`YYYY-MM-DD`): a day the date picker shows one month back.
fn fifteenth_of_last_month() -> String {
    let today = chrono::Local::now().date_naive();
    let first = today.with_day(1).expect("the first");
    (first - chrono::TimeDelta::days(1)).with_day(15).expect("the 15th").format("%Y-%m-%d").to_string()
}

/// Records bail and a change of status on the case shown, through their dialogs, and checks
/// both on the case's page and its timeline; edits the bail event; removes the status change
/// after its warning.
fn bail_and_status_in_the_window(app: &mut App, lang: &str) {
    let bail_day = days_from_today(-3);
    app.s().click_on("[data-testid=record-bail]");
    app.s().wait("[data-testid=bail-dialog][open]", LONG);
    // Nothing typed: the dialog says what is missing and saves nothing.
    app.s().click_on("[data-testid=bail-save]");
    app.s().wait("[data-testid=bail-error]", LONG);
    app.s().type_into("[data-testid=bail-on]", &typed_day(-3, lang));
    app.s().click_on("[data-testid=bail-event-interim_granted]");
    app.s().click_on("[data-testid=bail-stage-pre_arrest]");
    // A surety that is not a number is refused with the reason.
    app.s().type_into("[data-testid=bail-amount]", "one lakh");
    app.s().click_on("[data-testid=bail-save]");
    app.s().wait_until("the amount refused", LONG, |s| s.find("[data-testid=bail-error]").is_some());
    app.s().type_into("[data-testid=bail-amount]", "1,00,000");
    app.s().type_into("[data-testid=bail-surety]", SURETY);
    app.s().type_into("[data-testid=bail-order]", BAIL_ORDER);
    scan(app, lang, "record-bail");
    app.s().click_on("[data-testid=bail-save]");
    app.settle();
    app.s().wait(&format!("[data-testid=bail-event][data-date='{bail_day}'][data-event=interim_granted]"), LONG);
    assert_eq!(count(app, "[data-testid=bail-event]"), 1);
    assert!(app.s().text_of("[data-testid=bail-surety-name]").contains(SURETY));
    let on_timeline = format!("[data-testid=timeline-event][data-event=bail][data-date='{bail_day}']");
    assert_eq!(count(app, &on_timeline), 1, "the bail event on the timeline, once");
    let (granted, glance) = if lang == "ur" {
        ("عبوری ضمانت منظور", "منظور")
    } else {
        ("Interim bail granted", "Granted")
    };
    let text = app.s().text_of(&on_timeline);
    assert!(text.contains(granted) && text.contains(BAIL_ORDER), "the timeline says what the court did: {text}");
    assert!(app.s().text_of("[data-field=bail]").contains(glance), "bail at a glance follows the event");

    // Edited: the dialog opens with what was saved, and the change is kept.
    app.s().click_on("[data-testid=bail-edit]");
    app.s().wait("[data-testid=bail-dialog][open]", LONG);
    assert_eq!(app.s().value_of("[data-testid=bail-amount]"), "100000");
    app.s().type_into("[data-testid=bail-amount]", "150000");
    app.s().click_on("[data-testid=bail-save]");
    app.settle();
    app.s().wait_until("the edited bail event", LONG, |s| s.find("[data-testid=bail-dialog]").is_none());
    assert_eq!(count(app, "[data-testid=bail-event]"), 1, "edited, not added");
    app.s().click_on("[data-testid=bail-edit]");
    app.s().wait("[data-testid=bail-dialog][open]", LONG);
    assert_eq!(app.s().value_of("[data-testid=bail-amount]"), "150000");
    app.s().click_on("[data-testid=bail-cancel]");
    app.settle();

    // A status given on a day chosen on the calendar, a month back.
    let since = fifteenth_of_last_month();
    app.s().click_on("[data-testid=change-status]");
    app.s().wait("[data-testid=status-dialog][open]", LONG);
    app.s().set_value("[data-testid=status-choice]", "bail_granted");
    app.s().click_on("[data-testid=status-on-pick]");
    app.s().click_on("[data-testid=status-on-prev]");
    scan(app, lang, "status-calendar");
    app.s().click_on(&format!("#status-on-calendar button[data-date='{since}']"));
    let typed = app.s().value_of("[data-testid=status-on]");
    assert_eq!(
        typed,
        format!("{}/{}/{}", &since[8..], &since[5..7], &since[..4]),
        "the calendar fills the day in, day first"
    );
    app.s().click_on("[data-testid=status-save]");
    app.settle();
    app.s().wait(&format!("[data-testid=status-change][data-date='{since}'][data-status=bail_granted]"), LONG);
    let status_event = format!("[data-testid=timeline-event][data-event=status][data-date='{since}']");
    assert_eq!(count(app, &status_event), 1, "the status change on the timeline");
    let said = if lang == "ur" { "ضمانت منظور" } else { "Bail granted" };
    assert!(app.s().text_of(&status_event).contains(said), "the timeline names the status");
    assert!(app.s().text_of("[data-field=status]").contains(said), "the case's status follows");
    app.s().execute("document.getElementById('timeline-h').scrollIntoView({block: 'start'})", &[]);
    scan(app, lang, "bail-and-status");

    // Removing it warns first; then the case has no status change and no status.
    app.s().click_on("[data-testid=status-remove]");
    app.s().wait("dialog[open] #confirm-message", LONG);
    scan(app, lang, "remove-status");
    app.s().click_on("[data-testid=confirm-delete]");
    app.settle();
    app.s().wait_until("the status change removed", LONG, |s| s.find("[data-testid=status-change]").is_none());
    assert_eq!(count(app, &status_event), 0);
    assert!(app.s().find("[data-field=status]").is_none(), "no status left");
    assert_eq!(count(app, &on_timeline), 1, "the bail event stays");
}

/// Clicks the first element matching `css` whose text contains `text`, once there is one.
fn click_containing(app: &App, css: &str, text: &str) {
    let s = app.s();
    s.wait_until(&format!("{css} with {text}"), LONG, |s| s.find_all(css).iter().any(|e| s.text(e).contains(text)));
    let e = s.find_all(css).into_iter().find(|e| s.text(e).contains(text)).expect("the element");
    s.click(&e);
    app.settle();
}

/// How many elements match `css`.
fn count(app: &App, css: &str) -> usize {
    app.s().find_all(css).len()
}

/// In Urdu, asserts that the screen shows no untranslated English (see `scan_screen`).
fn scan(app: &mut App, lang: &str, screen: &str) {
    scan_screen(app, lang, screen, KEPT, "");
}

fn court_casework_in(lang: &str) {
    let (_home, vault) = court_vault();
    let mut app = App::launch_with_vault_and_settings(&format!("court-{lang}"), &vault, lang, 1);
    unlock(&app);
    let today = days_from_today(0);
    let next = days_from_today(10);

    // The dashboard warns of both deadlines; the reply is marked overdue, the appeal is not.
    app.s().wait("[data-testid=dash-deadlines] [data-testid=deadline-when]", LONG);
    let deadlines = app.s().text_of("[data-testid=dash-deadlines]");
    assert!(deadlines.contains(APPEAL) && deadlines.contains(REPLY), "{deadlines}");
    let overdue: Vec<String> = {
        let s = app.s();
        s.find_all("[data-testid=deadline-when][data-overdue=true]").iter().map(|e| s.text(e)).collect()
    };
    assert_eq!(overdue.len(), 1, "one deadline overdue: {overdue:?}");
    scan(&mut app, lang, "dashboard");

    // Deleting a deadline warns that a missed limitation period cannot be undone.
    click_containing(&app, "[data-testid=dash-deadlines] button", APPEAL);
    app.s().click_on("[data-testid=delete-record]");
    app.s().wait("dialog[open] #confirm-title", LONG);
    let warning = app.s().text_of("dialog[open] #confirm-message");
    let expected = if lang == "ur" {
        "میعاد واپس نہیں آتی"
    } else {
        "a missed limitation period cannot be undone"
    };
    assert!(warning.contains(expected), "no deadline warning: {warning}");
    scan(&mut app, lang, "delete-deadline");
    app.s().click_on("[data-testid=confirm-cancel]");
    app.settle();
    assert_eq!(app.s().text_of("[data-testid=record-title]"), APPEAL, "kept");

    // The cause list of this week shows today's hearing under its court.
    app.s().click_on("[data-testid=nav-causelist]");
    app.settle();
    app.s().wait(&format!("[data-testid=causelist-row][data-date='{today}']"), LONG);
    assert_eq!(count(&app, "[data-testid=causelist-court][data-court=judicial_magistrate]"), 1);
    scan(&mut app, lang, "cause-list");

    // Record what happened at today's hearing, in one step.
    app.s().click_on("[data-testid=nav-dashboard]");
    app.settle();
    click_containing(&app, "[data-testid=dash-hearings] button", CASE_TITLE);
    app.s().click_on("[data-testid=record-outcome]");
    app.s().wait("[data-testid=outcome-dialog][open]", LONG);
    scan(&mut app, lang, "record-outcome");
    // An adjournment without a next date is refused with the reason.
    app.s().click_on("[data-testid=outcome-save]");
    app.s().wait("[data-testid=outcome-error]", LONG);
    app.s().type_into("[data-testid=outcome-text]", OUTCOME);
    app.s().set_value("[data-testid=outcome-next-date]", &next);
    app.s().click_on("[data-testid=outcome-save]");
    app.settle();
    app.s().wait("[data-testid=outcome-notice]", LONG);
    assert!(app.s().find("[data-testid=record-outcome]").is_none(), "the hearing's outcome is recorded");
    scan(&mut app, lang, "hearing-recorded");

    // The case's timeline: the next date once, today's hearing once.
    app.s().click_on("[data-testid=parent-record]");
    app.settle();
    app.s().wait("[data-testid=timeline-event]", LONG);
    assert_eq!(count(&app, &format!("[data-testid=timeline-event][data-date='{next}']")), 1, "the next date once");
    assert_eq!(count(&app, &format!("[data-testid=timeline-event][data-date='{today}']")), 1, "today once");
    bail_and_status_in_the_window(&mut app, lang);
    scan(&mut app, lang, "case-detail");
    app.s().execute("document.getElementById('timeline-h').scrollIntoView({block: 'start'})", &[]);
    app.shot(&format!("{lang}-case-timeline"));

    // The dashboard: the next date once; today's adjourned hearing is no longer upcoming.
    app.s().click_on("[data-testid=nav-dashboard]");
    app.settle();
    app.s().wait(&format!("[data-testid=dash-hearing-date][data-date='{next}']"), LONG);
    assert_eq!(count(&app, &format!("[data-testid=dash-hearing-date][data-date='{next}']")), 1);
    assert_eq!(count(&app, &format!("[data-testid=dash-hearing-date][data-date='{today}']")), 0);

    // The calendar: the next date once, in its month.
    app.s().click_on("[data-testid=nav-calendar]");
    app.settle();
    if next[..7] != today[..7] {
        app.s().click_on("[data-testid=calendar-next]");
        app.settle();
    }
    app.s().wait(&format!("td[data-date='{next}'] [data-testid=calendar-hearing]"), LONG);
    assert_eq!(count(&app, &format!("td[data-date='{next}'] [data-testid=calendar-hearing]")), 1);
    scan(&mut app, lang, "calendar");

    // The hearings list: each hearing with its case, by date.
    app.s().click_on("[data-testid=nav-hearing]");
    app.settle();
    app.s().wait(&format!("[data-testid=hearing-row][data-date='{next}']"), LONG);
    let dates = app
        .s()
        .execute("return [...document.querySelectorAll('[data-testid=hearing-row]')].map((r) => r.dataset.date)", &[]);
    let dates: Vec<String> = serde_json::from_value(dates).expect("dates");
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "the hearings list is in date order");
    assert_eq!(dates.iter().filter(|d| **d == next).count(), 1, "the next date once: {dates:?}");
    let row = app.s().text_of(&format!("[data-testid=hearing-row][data-date='{next}']"));
    assert!(row.contains(CASE_TITLE), "the row names its case: {row}");
    scan(&mut app, lang, "hearings-list");

    // Leaving an edited form asks first, by the sidebar and by Cancel; Enter does not save.
    app.s().click_on("[data-testid=nav-case]");
    app.settle();
    click_containing(&app, "[data-testid=record-row]", CASE_TITLE);
    app.s().click_on("[data-testid=edit-record]");
    app.s().wait("#field-title", LONG);
    app.s().type_into("#field-title", &format!("{LEFT_TITLE}\u{E007}"));
    app.settle();
    assert!(app.s().find("[data-testid=record-title]").is_none(), "Enter in the title saved the form");
    app.s().click_on("[data-testid=nav-dashboard]");
    app.s().wait("dialog[open] #confirm-message", LONG);
    scan(&mut app, lang, "leave-warning");
    app.s().click_on("[data-testid=confirm-cancel]");
    app.settle();
    let kept = app.s().execute("return document.getElementById('field-title').value", &[]);
    assert_eq!(kept, json!(LEFT_TITLE), "staying keeps what was typed");
    app.s().click_on("[data-testid=cancel-edit]");
    app.s().wait("dialog[open] #confirm-message", LONG);
    app.s().click_on("[data-testid=confirm-delete]");
    app.settle();
    app.s().wait("[data-testid=record-title]", LONG);
    assert_eq!(app.s().text_of("[data-testid=record-title]"), CASE_TITLE, "leaving saved nothing");

    // Auto-lock in the middle of an edit: the draft is kept in the vault, and unlocking returns
    // to the form with it.
    app.s().click_on("[data-testid=edit-record]");
    app.s().wait("#field-title", LONG);
    // Charges as lawyers type them, found by the core's finder; a section outside the list is
    // kept as the user's own.
    app.s().type_into("[data-testid=charge-input]", "s.26A");
    app.s().click_on("[data-testid=charge-option][data-code='peca_2016.26a']");
    app.s().wait("[data-testid=charge][data-section='26A']", LONG);
    app.s().type_into("[data-testid=charge-input]", "PPC 1000");
    app.s().click_on("[data-testid=charge-add-own]");
    app.s().wait("[data-testid=charge][data-statute=ppc_1860][data-section='1000']", LONG);
    app.s().type_into("#field-title", DRAFT_TITLE);
    app.settle();
    app.s().wait("#unlock-passphrase", MINUTE + LONG);
    let html = app.s().execute("return document.documentElement.outerHTML", &[]);
    assert!(!html.as_str().unwrap_or_default().contains(DRAFT_TITLE), "the locked page still holds the draft");
    unlock(&app);
    app.s().wait("[data-testid=draft-restored]", LONG);
    let restored = app.s().execute("return document.getElementById('field-title').value", &[]);
    assert_eq!(restored, json!(DRAFT_TITLE), "the draft is back after unlocking");
    assert_eq!(count(&app, "[data-testid=charge]"), 3, "the charges added before the lock are back");
    scan(&mut app, lang, "draft-restored");
    // Saved, the draft is gone: the next visit to the form starts from the record.
    app.s().click_on("[data-testid=save-record]");
    app.settle();
    app.s().wait("[data-testid=record-title]", LONG);
    assert_eq!(app.s().text_of("[data-testid=record-title]"), DRAFT_TITLE);
    let charges = app.s().text_of("[data-field=charges]");
    assert!(charges.contains("26") && charges.contains("1000"), "{charges}");
    scan(&mut app, lang, "case-saved");
    app.close();
}

#[test]
fn court_casework_in_english() {
    court_casework_in("en");
}

#[test]
fn court_casework_in_urdu() {
    court_casework_in("ur");
}

/// A deadline that follows from a judgment, in English and Urdu: a decided hearing offers the
/// appeal rules with their periods and the law they come from; a rule with no shipped period is
/// refused until the person sets one; the deadline is counted from the hearing's date and the
/// dashboard warns of it.
#[test]
fn a_deadline_follows_from_a_judgment_in_english_and_urdu() {
    for lang in ["en", "ur"] {
        let home = tempfile::tempdir().expect("vault home");
        let path = home.path().join("vault");
        let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
        let obj = |v: serde_json::Value| v.as_object().expect("object").clone();
        let case = v
            .add(
                Kind::Case,
                obj(json!({"title": CASE_TITLE, "case_kind": "criminalisation", "court": "sessions_court"})),
            )
            .expect("case");
        let judged = days_from_today(-20);
        v.add(
            Kind::Hearing,
            obj(json!({"case_id": case.id, "date": judged, "purpose": "Judgment", "status": "decided"})),
        )
        .expect("hearing");
        v.lock();
        let mut app = App::launch_with_vault_and_settings(&format!("deadline-rule-{lang}"), &path, lang, 5);
        unlock(&app);
        app.s().click_on("[data-testid=nav-hearing]");
        app.settle();
        app.s().click_on("[data-testid=hearing-open]");
        app.settle();
        app.s().click_on("[data-testid=add-deadline-from-event]");
        app.s().wait("[data-testid=deadline-rule-dialog][open]", LONG);
        assert!(count(&app, "[data-testid^=deadline-rule-appeal_]") >= 3, "the appeal rules are offered");
        assert_eq!(count(&app, "[data-testid=deadline-rule-compliance]"), 0, "no compliance date on this hearing");
        scan(&mut app, lang, "deadline-rule");
        // A sentence of death: no period ships with the rule, so the person must give one.
        app.s().click_on("[data-testid=deadline-rule-appeal_crpc_death_sentence]");
        assert_eq!(app.s().value_of("[data-testid=deadline-rule-days]"), "");
        app.s().click_on("[data-testid=deadline-rule-save]");
        app.s().wait("[data-testid=deadline-rule-error]", LONG);
        // Thirty days to a court other than the High Court, as shipped.
        app.s().click_on("[data-testid=deadline-rule-appeal_crpc_other_court]");
        assert_eq!(app.s().value_of("[data-testid=deadline-rule-days]"), "30");
        app.s().click_on("[data-testid=deadline-rule-save]");
        app.settle();
        app.s().wait("[data-testid=outcome-notice]", LONG);
        app.s().click_on("[data-testid=nav-dashboard]");
        app.settle();
        app.s().wait("[data-testid=dash-deadlines] [data-testid=deadline-when]", LONG);
        let due = days_from_today(10);
        let dues: Vec<String> = {
            let s = app.s();
            s.find_all("[data-testid=deadline-due]").iter().filter_map(|e| s.attribute(e, "data-date")).collect()
        };
        assert_eq!(dues, [due], "due 30 days after the judgment");
        scan(&mut app, lang, "deadline-on-dashboard");
    }
}

/// The dates each kind of case keeps, in the window, in English and Urdu: a disappeared person's
/// last-seen month, a detainee's arrest and sentence, a refugee's deportation order, papers'
/// expiry and deportation date all reach the case's timeline; the two still to come that someone
/// must act before (the papers' expiry and the deportation) are on the dashboard as deadlines.
#[test]
fn kind_specific_dates_reach_the_timeline_and_the_dashboard_in_english_and_urdu() {
    const REFUGEE: &str = "Deportation of an Afghan journalist";
    const MISSING: &str = "Disappearance in Quetta";
    const DETAINEE: &str = "Detained in Riyadh";
    for lang in ["en", "ur"] {
        let home = tempfile::tempdir().expect("vault home");
        let path = home.path().join("vault");
        let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
        let obj = |v: serde_json::Value| v.as_object().expect("object").clone();
        let (expires, ordered, deported) = (days_from_today(5), days_from_today(-3), days_from_today(10));
        v.add(
            Kind::Case,
            obj(json!({"title": REFUGEE, "case_kind": "refugee_deportation",
                       "refugee": {"documentation_expires_on": expires, "deportation_order_on": ordered,
                                   "deported_on": deported}})),
        )
        .expect("refugee case");
        v.add(
            Kind::Case,
            obj(json!({"title": MISSING, "case_kind": "enforced_disappearance",
                       "disappearance": {"last_seen_on": "2024-05", "last_seen_precision": "month"}})),
        )
        .expect("disappearance");
        v.add(
            Kind::Case,
            obj(json!({"title": DETAINEE, "case_kind": "detained_abroad",
                       "detention_abroad": {"country": "sa", "arrested_on": "2025-01-10", "sentenced_on": "2025-09-01"}})),
        )
        .expect("detention abroad");
        v.lock();
        let mut app = App::launch_with_vault_and_settings(&format!("case-dates-{lang}"), &path, lang, 5);
        unlock(&app);

        // The dashboard warns of the papers' expiry and the deportation, not of past events.
        app.s().wait("[data-testid=dash-deadlines] [data-testid=deadline-due]", LONG);
        let dues: Vec<String> = {
            let s = app.s();
            s.find_all("[data-testid=dash-deadlines] [data-testid=deadline-due]")
                .iter()
                .filter_map(|e| s.attribute(e, "data-date"))
                .collect()
        };
        assert_eq!(dues, [expires.clone(), deported.clone()], "the two dates still to act before");
        scan(&mut app, lang, "dashboard");

        for (title, dates) in [
            (
                REFUGEE,
                vec![
                    ("documentation_expiry", expires.as_str()),
                    ("deportation_order", ordered.as_str()),
                    ("deported", deported.as_str()),
                ],
            ),
            (MISSING, vec![("last_seen", "2024-05")]), // then a day, typed and then chosen
            (DETAINEE, vec![("arrested", "2025-01-10"), ("sentenced", "2025-09-01")]),
        ] {
            app.s().click_on("[data-testid=nav-case]");
            app.settle();
            click_containing(&app, "[data-testid=record-row]", title);
            app.s().wait("[data-testid=timeline-event]", LONG);
            for (event, date) in dates {
                let css = format!("[data-testid=timeline-event][data-event={event}][data-date='{date}']");
                assert_eq!(count(&app, &css), 1, "{title}: {event} on {date}");
            }
            if title == MISSING {
                // A month as precisely as it is known: written as a month, not as a raw code, and
                // in the Urdu window in Urdu digits, as its counts are.
                let last_seen = app.s().text_of("[data-testid=timeline-event][data-event=last_seen] .when");
                let year = if lang == "ur" { "۲۰۲۴" } else { "2024" };
                assert!(last_seen.contains(year) && !last_seen.contains("2024-05"), "{last_seen}");
                // The day found out later, typed day first: the precision follows, a day.
                let field = "[id='field-disappearance.last_seen_on']";
                app.s().click_on("[data-testid=edit-record]");
                app.s().type_into(field, "12/05/2024");
                assert_eq!(app.s().value_of("[id='field-disappearance.last_seen_precision']"), "day");
                app.s().click_on("[data-testid=save-record]");
                app.settle();
                app.s().wait("[data-testid=timeline-event][data-event=last_seen][data-date='2024-05-12']", LONG);
                // Then corrected on the calendar, which opens at the month the field holds.
                app.s().click_on("[data-testid=edit-record]");
                app.s().click_on("[aria-controls='field-disappearance.last_seen_on-calendar']");
                app.s().wait("[id='field-disappearance.last_seen_on-calendar'] button[data-date='2024-05-20']", LONG);
                scan(&mut app, lang, "last-seen-calendar");
                app.s().click_on("[id='field-disappearance.last_seen_on-calendar'] button[data-date='2024-05-20']");
                assert_eq!(app.s().value_of(field), "20/05/2024", "written day first");
                app.s().click_on("[data-testid=save-record]");
                app.settle();
                app.s().wait("[data-testid=timeline-event][data-event=last_seen][data-date='2024-05-20']", LONG);
            }
            app.s().execute("document.getElementById('timeline-h').scrollIntoView({block: 'start'})", &[]);
            scan(&mut app, lang, &format!("timeline-{}", title.split(' ').next().unwrap_or("case").to_lowercase()));
        }
        app.close();
    }
}
