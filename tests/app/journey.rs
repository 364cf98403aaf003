use std::time::Duration;

use serde_json::json;

use gawahi_e2e::app::App;

const PASSPHRASE: &str = "mango orchard river lantern 42";
const URDU_TITLE: &str = "کراچی میں صحافی کے گھر پر چھاپہ، لیپ‌ٹاپ ضبط";
const CASE_TITLE: &str = "State v. Rehana (PECA s.20)";
const XSS: &str = "<img src=x onerror=\"document.title='pwned'\">";
const LONG: Duration = Duration::from_secs(30);

/// The local date `days` from today, as the app's date inputs take it.
fn days_from_today(days: i64) -> String {
    (chrono::Local::now().date_naive() + chrono::TimeDelta::days(days)).format("%Y-%m-%d").to_string()
}

fn open_row(app: &App, kind: &str, label: &str) {
    app.open_kind(kind);
    let s = app.s();
    s.wait_until(&format!("a {kind} row with {label}"), LONG, |s| {
        s.find_all("[data-testid=record-row]").iter().any(|r| s.text(r).contains(label))
    });
    let row = s.find_all("[data-testid=record-row]").into_iter().find(|r| s.text(r).contains(label)).expect("row");
    s.click(&row);
    app.settle();
    s.wait("[data-testid=record-title]", LONG);
}

fn texts(app: &App, css: &str) -> Vec<String> {
    let s = app.s();
    s.find_all(css).iter().map(|e| s.text(e)).collect()
}

#[test]
fn a_defenders_first_session() {
    let mut app = App::launch("journey");
    // The app hardens itself from the first line of main: no core file can hold decrypted
    // records (the CLI's test also shows that other processes of the same user cannot read it).
    let app_pid = app.process_tree_memory().iter().find(|p| p.name == "gawahi-app").expect("the app").pid;
    let limits = std::fs::read_to_string(format!("/proc/{app_pid}/limits")).expect("limits");
    let core = limits.lines().find(|l| l.starts_with("Max core file size")).expect("core limit");
    assert_eq!(core.split_whitespace().skip(4).take(2).collect::<Vec<_>>(), ["0", "0"], "{core}");
    let vault = app.home.path().join("my-vault");

    // (1) First run: create a vault.
    app.s().wait("#vault-path", LONG);
    app.shot("first-run");
    app.create_vault(&vault, PASSPHRASE);
    app.shot("created");

    // (2) An incident in Urdu, a case with a PECA s.20 charge and a hearing, linked.
    app.new_record("incident");
    app.s().type_into("#field-title", URDU_TITLE);
    app.s().set_value("#field-occurred_on", &days_from_today(-3));
    app.s().set_value("#field-province", "sindh");
    app.settle();
    app.s().set_value("#field-district", "sindh.karachi_south");
    app.shot("incident-editor");
    app.save_record();
    assert_eq!(app.s().text_of("[data-testid=record-title]"), URDU_TITLE, "Urdu text survives byte for byte");

    app.new_record("case");
    app.s().type_into("#field-title", CASE_TITLE);
    app.s().set_value("#field-case_kind", "criminalisation");
    app.s().type_into("[data-testid=charge-input]", "PECA 20");
    app.s().wait("[data-testid=charge-option]", LONG);
    let first_option = app.s().find_all("[data-testid=charge-option]").remove(0);
    assert!(app.s().text(&first_option).contains("20"), "type-ahead offers s.20 first");
    app.s().click(&first_option);
    app.s().wait("[data-testid=charge]", LONG);
    app.shot("case-editor");
    app.save_record();
    assert_eq!(app.s().text_of("[data-testid=record-title]"), CASE_TITLE);

    app.s().click_on("[data-testid=add-hearing]");
    app.s().wait("[data-testid=save-record]", LONG);
    app.s().set_value("#field-date", &days_from_today(3));
    app.s().type_into("#field-purpose", "Bail arguments");
    app.save_record();

    open_row(&app, "incident", URDU_TITLE);
    app.s().click_on("[data-testid=link-record]");
    app.s().set_value("#link-kind", "case");
    app.s().type_into("[data-testid=link-search]", "Rehana");
    app.s().wait_until("a link candidate", LONG, |s| {
        s.find_all("[data-testid=link-candidate]").iter().any(|c| s.text(c).contains(CASE_TITLE))
    });
    let candidate = {
        let s = app.s();
        s.find_all("[data-testid=link-candidate]")
            .into_iter()
            .find(|c| s.text(c).contains(CASE_TITLE))
            .expect("candidate")
    };
    app.s().click(&candidate);
    app.s().set_value("#link-role", "arises_from");
    app.s().click_on("[data-testid=link-confirm]");
    app.settle();
    app.s().wait_until("the linked case on the incident", LONG, |s| {
        s.find_all("[data-testid=linked-record]").iter().any(|l| s.text(l).contains(CASE_TITLE))
    });
    app.shot("incident-linked");

    // (3) The dashboard and both detail views show them.
    app.open_kind("dashboard");
    app.s().wait_until("the hearing on the dashboard", LONG, |s| {
        s.text_of("[data-testid=dash-hearings]").contains(CASE_TITLE)
    });
    assert!(app.s().text_of("[data-testid=dash-incidents]").contains(URDU_TITLE));
    app.shot("dashboard");
    open_row(&app, "case", CASE_TITLE);
    assert!(
        texts(&app, "[data-testid=linked-record]").iter().any(|t| t.contains(URDU_TITLE)),
        "the case shows its incident"
    );
    assert!(!texts(&app, "[data-testid=child-record]").is_empty(), "the case shows its hearing");
    assert!(!texts(&app, "[data-testid=timeline-event]").is_empty(), "the case has a timeline");
    app.shot("case-detail");

    // (4) Lock, fail with a wrong passphrase, unlock and find everything.
    app.s().click_on("[data-testid=lock]");
    app.s().wait("#unlock-passphrase", LONG);
    assert!(app.s().find("[data-testid=record-title]").is_none(), "nothing of the vault stays on screen");
    app.s().type_into("#unlock-passphrase", "not my passphrase");
    app.s().click_on("[data-testid=unlock]");
    app.s().wait_until("the wrong-passphrase message", LONG, |s| {
        s.find("[data-testid=unlock-error]").is_some_and(|e| !s.text(&e).trim().is_empty())
    });
    app.shot("wrong-passphrase");
    app.s().type_into("#unlock-passphrase", PASSPHRASE);
    app.s().click_on("[data-testid=unlock]");
    app.s().wait("[data-testid=nav-dashboard]", LONG);
    app.settle();
    open_row(&app, "case", CASE_TITLE);
    assert!(texts(&app, "[data-testid=linked-record]").iter().any(|t| t.contains(URDU_TITLE)));
    assert!(app.s().text_of("#main").contains("PECA s.20"), "the charge is shown with its statute and section");

    // (6) Markup typed into a title is shown as text, never run.
    app.new_record("task");
    app.s().type_into("#field-title", XSS);
    app.save_record();
    assert_eq!(app.s().text_of("[data-testid=record-title]"), XSS);
    let injected = app
        .s()
        .execute("return {imgs: document.querySelectorAll('img[src=\"x\"]').length, title: document.title};", &[]);
    assert_eq!(injected["imgs"], json!(0), "no <img> element was created from the title");
    assert_ne!(injected["title"], json!("pwned"), "the onerror handler never ran");
    app.shot("markup-as-text");

    // (5) Urdu: the whole document turns right-to-left and the labels are translated.
    let english_nav = app.s().text_of("[data-testid=nav-dashboard]");
    app.open_kind("settings");
    app.s().set_value("#setting-language", "ur");
    app.s().wait_until("dir=rtl", LONG, |s| {
        s.execute("return document.documentElement.getAttribute('dir');", &[]) == json!("rtl")
    });
    assert_eq!(app.s().execute("return document.documentElement.lang;", &[]), json!("ur"));
    let urdu_nav = app.s().text_of("[data-testid=nav-dashboard]");
    assert_ne!(urdu_nav, english_nav);
    assert!(urdu_nav.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)), "nav label in Urdu: {urdu_nav}");
    app.open_kind("dashboard");
    app.s().wait_until("the hearing on the Urdu dashboard", LONG, |s| {
        s.text_of("[data-testid=dash-hearings]").contains(CASE_TITLE)
    });
    app.shot("dashboard-urdu");
    open_row(&app, "case", CASE_TITLE);
    app.shot("case-detail-urdu");

    // Nothing the UI showed reached disk outside the encrypted vault: the webview keeps no
    // cache, local storage or IndexedDB of records.
    app.close();
    let leaks = gawahi_e2e::plaintext::scan_for(app.home.path(), &[URDU_TITLE, CASE_TITLE, "Bail arguments", "Rehana"]);
    assert!(leaks.is_empty(), "plaintext on disk: {leaks:#?}");
}
