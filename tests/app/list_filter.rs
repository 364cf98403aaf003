//! The list's own filter in the real window, in English and Urdu: the same query as the search
//! screen's. A word typed into the incidents list narrows it to the records that hold it (an Urdu
//! word typed without its diacritics finds the records written with them), a province's label
//! finds the records in that province, a field name ("title", "notes") or JSON's `null` matches
//! nothing, the province facet narrows further, and the range shown above the list agrees with
//! the rows (the total beside it stays the kind's).

use std::time::Duration;

use serde_json::json;

use gawahi_core::{Kind, SecretString, Vault};
use gawahi_e2e::app::App;

use crate::vaults::{LONG, PASSPHRASE, unlock};

/// "Journalist" with its diacritics, as a careful writer types it; the filter gets it bare.
const WITH_AERAB: &str = "صَحَافِی";
const BARE: &str = "صحافی";

const KARACHI_JOURNALIST: &str = "صَحَافِی پر حملہ کراچی میں";
const LAHORE_JOURNALIST: &str = "صَحَافِی کو دھمکی لاہور میں";
const LAHORE_POLICE: &str = "Police raid on a press club";
const KARACHI_POLICE: &str = "Police beat a lawyer outside court";
const KARACHI_FLOOD: &str = "Flood relief camp visited";
const PSEUDONYM: &str = "Reporter K";

/// Five incidents: the Urdu word in a Sindh and a Punjab one, "police" in a Sindh and a Punjab
/// one, and a fifth in Sindh with neither; and one person, whose list shows when it changed.
fn list_vault() -> (tempfile::TempDir, std::path::PathBuf) {
    let home = tempfile::tempdir().expect("vault home");
    let path = home.path().join("vault");
    let mut v = Vault::create(&path, &SecretString::from(PASSPHRASE), Duration::from_millis(1)).expect("create");
    for (title, province, district) in [
        (KARACHI_JOURNALIST, "sindh", "sindh.karachi_south"),
        (LAHORE_JOURNALIST, "punjab", "punjab.lahore"),
        (LAHORE_POLICE, "punjab", "punjab.lahore"),
        (KARACHI_POLICE, "sindh", "sindh.karachi_south"),
        (KARACHI_FLOOD, "sindh", "sindh.karachi_south"),
    ] {
        let body = json!({"title": title, "description": "Seen by two witnesses.", "occurred_on": "2026-03-05",
                          "province": province, "district": district, "incident_types": ["raid_search"]});
        v.add(Kind::Incident, body.as_object().expect("object").clone()).expect("incident");
    }
    let person = json!({"pseudonym": PSEUDONYM, "consent_to_store": true, "risk_level": "high"});
    v.add(Kind::Person, person.as_object().expect("object").clone()).expect("person");
    v.lock();
    (home, path)
}

/// The titles of the rows the list shows, sorted.
fn row_titles(app: &App) -> Vec<String> {
    let found = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=record-row] th')].map((c) => c.textContent.trim())",
        &[],
    );
    let mut titles: Vec<String> = serde_json::from_value(found).unwrap_or_default();
    titles.sort();
    titles
}

/// How many incidents the vault holds.
const ALL: usize = 5;

/// The count above the list: the kind's total it was given, how many records it was told match
/// (absent for an unfiltered list) and the sentence it shows.
fn shown_total(app: &App) -> (Option<u64>, Option<u64>, String) {
    let total = app.s().execute(
        "const t = document.querySelector('[data-testid=list-total]');
         return t ? [Number(t.dataset.total), t.dataset.matched === undefined ? null : Number(t.dataset.matched),
                     t.textContent] : null;",
        &[],
    );
    (total[0].as_u64(), total[1].as_u64(), total[2].as_str().unwrap_or_default().to_owned())
}

/// `n` in Western digits and in Urdu's (۰–۹): the count may be written in either.
fn digit_forms(n: usize) -> [String; 2] {
    let western = n.to_string();
    let urdu = western.chars().map(|c| char::from_u32(0x06F0 + c.to_digit(10).unwrap_or(0)).unwrap_or(c)).collect();
    [western, urdu]
}

/// Waits until the list shows exactly the records titled `expected`, then checks the line above
/// it: the number of records of the kind (all five: a filtered list keeps counting every record
/// as its total), how many match, and the range shown, which ends at the number of rows; and
/// takes a screenshot.
fn shows(app: &mut App, step: &str, expected: &[&str]) {
    let mut want: Vec<String> = expected.iter().map(|t| (*t).to_owned()).collect();
    want.sort();
    // Polled rather than waited for, so that a list that never narrows is shown as it stands.
    let started = std::time::Instant::now();
    while started.elapsed() < LONG && row_titles(app) != want {
        std::thread::sleep(Duration::from_millis(100));
    }
    app.settle();
    if row_titles(app) != want {
        app.shot(&format!("{step}-wrong"));
    }
    assert_eq!(row_titles(app), want, "{step}");
    let (total, matched, sentence) = shown_total(app);
    assert_eq!(total, Some(ALL as u64), "{step}: the kind's total");
    let sentence = sentence.trim();
    assert!(digit_forms(ALL).iter().any(|d| sentence.contains(d.as_str())), "{step}: {sentence:?}");
    // A filtered list says how many records match, in the sentence too (the page holds them all
    // here, so it is the number of rows); a list showing every record does not.
    if want.len() == ALL {
        assert_eq!(matched, None, "{step}: an unfiltered list counts no matches");
    } else {
        assert_eq!(matched, Some(want.len() as u64), "{step}: the matches counted");
    }
    if !want.is_empty() && want.len() < ALL {
        let said = sentence.split('·').nth(1).unwrap_or_default();
        assert!(digit_forms(want.len()).iter().any(|d| said.contains(d.as_str())), "{step}: {sentence:?}");
    }
    if want.is_empty() {
        let empty = app.s().text_of("[data-testid=list-empty]");
        // Words typed are quoted in the sentence, isolated (FSI … PDI), so a Latin word keeps its
        // order inside Urdu and a typed override cannot turn the sentence round.
        if empty.contains(['“', '”']) {
            assert!(empty.contains('\u{2068}') && empty.contains('\u{2069}'), "{step}: {empty:?}");
        }
        assert!(!sentence.contains('·'), "{step}: no range shown for an empty list: {sentence:?}");
    } else {
        assert!(
            digit_forms(want.len()).iter().any(|d| sentence.ends_with(d.as_str())),
            "{step}: the range shown ({sentence:?}) does not end at {}",
            want.len()
        );
    }
    app.shot(step);
}

/// Types `text` into the list's filter (replacing what was there).
fn filter(app: &App, text: &str) {
    app.s().type_into("[data-testid=list-filter]", text);
}

fn list_filter_in(lang: &str) {
    let (_home, vault) = list_vault();
    let mut app = App::launch_with_vault_and_settings(&format!("list-filter-{lang}"), &vault, lang, 5);
    unlock(&app);
    app.open_kind("incident");
    app.s().wait("[data-testid=list-filter]", LONG);
    let all = [KARACHI_JOURNALIST, LAHORE_JOURNALIST, LAHORE_POLICE, KARACHI_POLICE, KARACHI_FLOOD];
    shows(&mut app, &format!("{lang}-all"), &all);

    // An English word, in any case, narrows the list to the two records that hold it.
    filter(&app, "POLICE");
    shows(&mut app, &format!("{lang}-police"), &[LAHORE_POLICE, KARACHI_POLICE]);
    // The province facet narrows the same query further.
    app.s().set_value("[data-testid=list-province]", "sindh");
    shows(&mut app, &format!("{lang}-police-sindh"), &[KARACHI_POLICE]);

    // The Urdu word without its aerab finds both records written with them; within Sindh, one.
    filter(&app, BARE);
    shows(&mut app, &format!("{lang}-journalist-sindh"), &[KARACHI_JOURNALIST]);
    app.s().set_value("[data-testid=list-province]", "");
    shows(&mut app, &format!("{lang}-journalist"), &[KARACHI_JOURNALIST, LAHORE_JOURNALIST]);
    // Typed with them, the same two.
    filter(&app, WITH_AERAB);
    shows(&mut app, &format!("{lang}-journalist-aerab"), &[KARACHI_JOURNALIST, LAHORE_JOURNALIST]);

    // A vocabulary value's label finds its records, in Urdu and in English, though no record's
    // text holds it: the records' province and district, not any word they were written with.
    filter(&app, "سندھ");
    shows(&mut app, &format!("{lang}-sindh-in-urdu"), &[KARACHI_JOURNALIST, KARACHI_POLICE, KARACHI_FLOOD]);
    filter(&app, "Karachi South");
    shows(&mut app, &format!("{lang}-karachi-south"), &[KARACHI_JOURNALIST, KARACHI_POLICE, KARACHI_FLOOD]);

    // Field names and JSON's words match nothing, though every record has the fields.
    for word in ["title", "notes", "description", "province", "null"] {
        filter(&app, word);
        shows(&mut app, &format!("{lang}-field-name-{word}"), &[]);
    }

    // Emptied, the filter gives the whole list back.
    filter(&app, " ");
    shows(&mut app, &format!("{lang}-all-again"), &all);

    // The province alone (the list rows of that value's records, read without the records
    // themselves): each row shows its day, district and type, in the window's language.
    app.s().set_value("[data-testid=list-province]", "sindh");
    shows(&mut app, &format!("{lang}-sindh-columns"), &[KARACHI_JOURNALIST, KARACHI_POLICE, KARACHI_FLOOD]);
    let cells = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=record-row]')].map(r => r.textContent).join('\\n');",
        &[],
    );
    let cells = cells.as_str().unwrap_or_default();
    let (district, kind, day) = if lang == "ur" {
        ("کراچی جنوبی", "چھاپہ یا تلاشی", "۲۰۲۶")
    } else {
        ("Karachi South", "Raid or search", "2026")
    };
    for shown in [district, kind, day] {
        assert_eq!(cells.matches(shown).count(), 3, "{lang}: every row shows {shown:?}: {cells}");
    }
    app.s().set_value("[data-testid=list-province]", "");
    shows(&mut app, &format!("{lang}-all-unfiltered"), &all);

    // The dates: each row's in the window's digits, and the From/To days typed day first, as a
    // Pakistani reader writes them (the browser's date field would show mm/dd/yyyy), in Urdu
    // digits in the Urdu window; a half-typed day changes nothing until it reads as one.
    let rows = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=record-row]')].map(r => r.textContent).join('\\n');",
        &[],
    );
    let rows = rows.as_str().unwrap_or_default();
    let (year, other) = if lang == "ur" { ("۲۰۲۶", "2026") } else { ("2026", "۲۰۲۶") };
    assert!(rows.contains(year) && !rows.contains(other), "{lang}: the rows' dates in the window's digits: {rows}");
    let from = app
        .s()
        .execute("const f = document.querySelector('[data-testid=list-from]'); return [f.type, f.placeholder];", &[]);
    let placeholder = if lang == "ur" { "دن/مہینہ/سال" } else { "DD/MM/YYYY" };
    assert_eq!(from, json!(["text", placeholder]), "{lang}: the From field asks for the day first");
    let day = |d: &str| {
        if lang == "ur" {
            d.chars().map(|c| c.to_digit(10).map_or(c, |n| char::from_u32(0x6f0 + n).unwrap_or(c))).collect()
        } else {
            d.to_owned()
        }
    };
    app.s().type_into("[data-testid=list-from]", &day("06/03"));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        app.s().attribute(&app.s().wait("[data-testid=list-from]", LONG), "aria-invalid").as_deref(),
        Some("true")
    );
    shows(&mut app, &format!("{lang}-from-half-typed"), &all);
    app.s().type_into("[data-testid=list-from]", &day("06/03/2026"));
    shows(&mut app, &format!("{lang}-from-the-day-after"), &[]);
    app.s().type_into("[data-testid=list-from]", " ");
    shows(&mut app, &format!("{lang}-from-emptied"), &all);
    app.s().type_into("[data-testid=list-to]", &day("04/03/2026"));
    shows(&mut app, &format!("{lang}-to-the-day-before"), &[]);
    app.s().type_into("[data-testid=list-to]", " ");
    shows(&mut app, &format!("{lang}-to-emptied"), &all);
    // A province within dates, read from the province's own rows, which hold their records'
    // days: up to the records' day, Sindh's three; from the day after, none.
    app.s().set_value("[data-testid=list-province]", "sindh");
    app.s().type_into("[data-testid=list-to]", &day("05/03/2026"));
    shows(&mut app, &format!("{lang}-sindh-to-the-day"), &[KARACHI_JOURNALIST, KARACHI_POLICE, KARACHI_FLOOD]);
    app.s().type_into("[data-testid=list-from]", &day("06/03/2026"));
    shows(&mut app, &format!("{lang}-sindh-from-the-day-after"), &[]);
    // From after To: the list says why nothing can match, and marks the To day.
    let inverted = if lang == "ur" {
        "«سے» والی تاریخ «تک» والی تاریخ کے بعد ہے: اس مدت میں کوئی دن نہیں آتا۔"
    } else {
        "The From day is after the To day: no day falls in this range."
    };
    assert_eq!(app.s().text(&app.s().wait("[data-testid=list-empty]", LONG)).trim(), inverted, "{lang}");
    assert_eq!(
        app.s().attribute(&app.s().wait("[data-testid=list-to]", LONG), "aria-invalid").as_deref(),
        Some("true"),
        "{lang}: the To day is marked"
    );
    app.s().type_into("[data-testid=list-from]", " ");
    app.s().type_into("[data-testid=list-to]", " ");
    app.s().set_value("[data-testid=list-province]", "");
    shows(&mut app, &format!("{lang}-dates-and-province-emptied"), &all);

    // A list of incidents does not show when each changed; a list of people does (their other
    // columns say little of how current a record is): the row carries the time only there.
    let headers = |app: &App| {
        app.s().execute("return [...document.querySelectorAll('thead th')].map((c) => c.textContent.trim());", &[])
    };
    let updated = if lang == "ur" { "آخری تبدیلی" } else { "Updated" };
    assert!(!headers(&app).to_string().contains(updated), "{lang}: {}", headers(&app));
    app.open_kind("person");
    app.s().wait_until("the person's row", LONG, |s| {
        s.execute("return document.querySelectorAll('[data-testid=record-row]').length", &[]) == json!(1)
    });
    app.settle();
    app.shot(&format!("{lang}-people-updated"));
    // People have no province and no date: their list offers neither filter, which could only
    // empty it.
    assert!(app.s().find("[data-testid=list-province]").is_none(), "{lang}: no province filter for people");
    assert!(app.s().find("[data-testid=list-from]").is_none(), "{lang}: no date range for people");
    assert!(app.s().find("[data-testid=list-facets]").is_none(), "{lang}: no empty filter form for people");
    assert!(app.s().find("[data-testid=list-filter]").is_some(), "{lang}: the words filter stays");
    assert!(headers(&app).to_string().contains(updated), "{lang}: {}", headers(&app));
    let row = app.s().execute("return document.querySelector('[data-testid=record-row]').textContent", &[]);
    let row = row.as_str().unwrap_or_default();
    let this_year = usize::try_from(chrono::Datelike::year(&chrono::Local::now())).unwrap_or_default();
    let year = digit_forms(this_year)[usize::from(lang == "ur")].clone();
    assert!(row.contains(PSEUDONYM) && row.contains(&year), "{lang}: the person's row shows when it changed: {row}");
}

#[test]
fn the_list_filter_narrows_by_words_labels_and_a_facet_and_never_by_field_names_in_english() {
    list_filter_in("en");
}

#[test]
fn the_list_filter_narrows_by_words_labels_and_a_facet_and_never_by_field_names_in_urdu() {
    list_filter_in("ur");
}
