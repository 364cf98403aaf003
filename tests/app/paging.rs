use std::collections::HashSet;

use serde_json::json;

use gawahi_e2e::app::App;

use crate::vaults::{LONG, unlocked_app, vault_of_incidents};

const RECORDS: usize = 120;

/// The ids and labels of the list's rows, once the list is idle. Read from the DOM: rows below
/// the fold are not laid out, and WebDriver's element text is the rendered text.
fn rows(app: &App) -> Vec<(String, String)> {
    app.settle();
    let rows = app.s().execute(
        "return [...document.querySelectorAll('[data-testid=record-row]')]
           .map((r) => [r.dataset.id, r.querySelector('th').textContent.trim()]);",
        &[],
    );
    serde_json::from_value(rows).expect("rows as [id, label] pairs")
}

fn enabled(app: &App, button: &str) -> bool {
    app.s().execute(&format!("return !document.querySelector('[data-testid={button}]').disabled"), &[]) == json!(true)
}

fn showing(app: &App) -> String {
    app.s().text_of("[data-testid=list-total]")
}

fn turn(app: &App, button: &str, before: &[(String, String)]) -> Vec<(String, String)> {
    let first = before.first().map(|r| r.0.clone()).unwrap_or_default();
    app.s().click_on(&format!("[data-testid={button}]"));
    app.s().wait_until("the next page's rows", LONG, |s| {
        s.execute("return document.querySelector('[data-testid=record-row]')?.getAttribute('data-id')", &[])
            != json!(first)
    });
    rows(app)
}

#[test]
fn paging_through_a_list_shows_every_record_once_and_opens_the_row_clicked() {
    let vault = vault_of_incidents((1..=RECORDS).map(|i| format!("Incident {i:03}")));
    let mut app = unlocked_app("paging", &vault);
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait("[data-testid=record-row]", LONG);

    let page1 = rows(&app);
    assert_eq!(page1.len(), 50);
    let total = app.s().execute("return document.querySelector('[data-testid=list-total]').dataset.total", &[]);
    assert_eq!(total, json!(RECORDS.to_string()));
    assert!(showing(&app).contains("1–50"), "{}", showing(&app));
    assert!(!enabled(&app, "prev-page"), "no page before the first");

    let page2 = turn(&app, "next-page", &page1);
    assert_eq!(page2.len(), 50);
    assert!(showing(&app).contains("51–100"), "{}", showing(&app));
    app.shot("page-2");

    // Rows are reused from page to page: a click on one far down page 2 (below the fold, where it
    // is not laid out until scrolled to, and showing page 1's record a moment ago) opens the
    // record it shows now.
    let row = app.s().find_all("[data-testid=record-row]").into_iter().nth(47).expect("row 48");
    app.s().click(&row);
    app.settle();
    app.s().wait("[data-testid=record-title]", LONG);
    assert_eq!(app.s().text_of("[data-testid=record-title]"), page2[47].1);
    app.shot("row-48-of-page-2");

    // Back in the list, it is still on page 2.
    app.s().click_on("[data-testid=nav-incident]");
    app.s().wait("[data-testid=record-row]", LONG);
    assert_eq!(rows(&app), page2);
    let page3 = turn(&app, "next-page", &page2);
    assert_eq!(page3.len(), 20);
    assert!(showing(&app).contains("101–120"), "{}", showing(&app));
    assert!(!enabled(&app, "next-page"), "no page after the last");

    // Every record exactly once, and each row's label belongs to its id.
    let all: Vec<_> = page1.iter().chain(&page2).chain(&page3).collect();
    assert_eq!(all.iter().map(|r| &r.0).collect::<HashSet<_>>().len(), RECORDS);
    assert_eq!(all.iter().map(|r| &r.1).collect::<HashSet<_>>().len(), RECORDS);

    // Back to page 2: the same rows as the first time.
    let again = turn(&app, "prev-page", &page3);
    assert_eq!(again, page2);

    // Filtered (every record is in Sindh), on its page 2, whose rows follow page 1's last record:
    // that record deleted through the search, the list comes back at its first page, not an
    // error that asking again would only repeat.
    app.s().set_value("[data-testid=list-province]", "sindh");
    app.s().wait_until("the filtered list", LONG, |s| {
        s.execute("return document.querySelector('[data-testid=list-total]')?.dataset.matched ?? null", &[])
            == json!(RECORDS.to_string())
    });
    let filtered1 = rows(&app);
    let filtered2 = turn(&app, "next-page", &filtered1);
    assert_eq!(filtered2.len(), 50);
    let (gone_id, gone_label) = filtered1.last().cloned().expect("page 1's last row");
    app.s().type_into("[data-testid=search-box]", &format!("{gone_label}\u{E007}"));
    let hit = format!("[data-testid=search-hit][data-id='{gone_id}']");
    app.s().click_on(&hit);
    app.s().wait("[data-testid=record-title]", LONG);
    app.s().click_on("[data-testid=delete-record]");
    app.s().click_on("[data-testid=confirm-delete]");
    app.s().wait("[data-testid=record-row]", LONG);
    let after_delete = rows(&app);
    assert!(app.s().find(".notice.danger").is_none(), "no error where the page was");
    assert!(showing(&app).contains("1–50"), "{}", showing(&app));
    assert_eq!(after_delete[..49], filtered1[..49], "page 1 again, without the deleted record");
    assert_eq!(after_delete[49], filtered2[0], "and the record that came after it");
    assert!(after_delete.iter().all(|r| r.0 != gone_id));
    app.shot("filtered-list-after-its-page-anchor-was-deleted");

    app.close();
}
