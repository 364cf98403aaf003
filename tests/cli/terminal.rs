use gawahi_e2e::Gawahi;
use serde_json::{Value, json};

/// Titles that would drive a terminal if printed raw, each with how `list` must show it. (A
/// title cannot hold a line feed: the core refuses it.)
const HOSTILE: [(&str, &str); 8] = [
    ("\u{1b}]0;retitled\u{7}window title", "\\x1b]0;retitled\\x07window title"),
    ("\u{1b}[2J\u{1b}[Hscreen cleared", "\\x1b[2J\\x1b[Hscreen cleared"),
    ("real title\rFORGED TITLE", "real title\\rFORGED TITLE"),
    ("report \u{202e}fdp.exe", "report \\u{202e}fdp.exe"),
    // Invisible characters that make one name look like another.
    // Directional marks where they could reorder what is read (gawahi_core::text): alone between
    // two letters of the other direction.
    (
        "pay\u{200b}slip \u{200f}x y\u{61c}z \u{628}\u{200e}.\u{62a}",
        "pay\\u{200b}slip \\u{200f}x y\\u{61c}z \u{628}\\u{200e}.\u{62a}",
    ),
    ("\u{feff}pay\u{200d}pal\u{2060}", "\\u{feff}pay\\u{200d}pal\\u{2060}"),
    ("a\ttab, a DEL\u{7f} and\u{2028}a line separator", "a\\ttab, a DEL\\x7f and\\u{2028}a line separator"),
    ("C1 CSI \u{9b}31m and a \\ backslash", "C1 CSI \\u{9b}31m and a \\\\ backslash"),
];

/// Urdu with a zero-width non-joiner, a zero-width joiner, diacritics, and a right-to-left mark
/// after a Latin word as an Urdu typist puts it: shown as it is.
const URDU: &str = "لاہور\u{200c}ہائی کورٹ میں PECA\u{200f} کی پ\u{650}یش\u{200d}ی";

/// No character on `text` that a terminal would act on: no control but the newline ending each
/// line and the tab between fields, and no bidi embedding, override or isolate. (A directional
/// mark may pass where it cannot reorder what is read; the titles above show which are escaped.)
fn assert_inert(text: &str) {
    for line in text.lines() {
        for c in line.chars() {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
                | '\u{200b}' | '\u{feff}' | '\u{2060}');
            assert!(c == '\t' || !(c.is_control() || bidi), "raw {c:?} printed in {line:?}");
        }
    }
    assert!(!text.contains('\r'), "raw CR printed: {text:?}");
}

#[test]
fn fail_list_escapes_control_and_bidi_characters_and_json_keeps_them_exact() {
    let g = Gawahi::init();
    let v = g.vault_str();
    for (title, _) in HOSTILE {
        g.run(&["add", &v, "incident", "--json", &json!({"title": title}).to_string()]).ok();
    }
    g.run(&["add", &v, "incident", "--json", &json!({"title": URDU}).to_string()]).ok();

    let list = g.run(&["list", &v, "incident"]);
    assert_eq!(list.code, 0, "{list:#?}");
    assert_inert(&list.stdout);
    let lines: Vec<&str> = list.stdout.lines().collect();
    assert_eq!(lines.len(), HOSTILE.len() + 1, "one line per record: {:?}", list.stdout);
    let shown: Vec<&str> = lines
        .iter()
        .map(|l| {
            let (id, title) = l.split_once('\t').unwrap_or_else(|| panic!("id<TAB>title: {l:?}"));
            assert_eq!(id.len(), 36, "{l:?}");
            assert!(!title.contains('\t'), "one tab per line: {l:?}");
            title
        })
        .collect();
    for (_, escaped) in HOSTILE {
        assert!(shown.contains(&escaped), "{escaped} not among {shown:#?}");
    }
    assert!(shown.contains(&URDU), "Urdu changed: {shown:#?}");

    // --json is exact: every title round-trips, control characters and all.
    let listed = g.run(&["list", &v, "incident", "--json"]).json();
    let titles: Vec<&str> = listed.as_array().expect("array").iter().filter_map(|r| r["title"].as_str()).collect();
    for (title, _) in HOSTILE {
        assert!(titles.contains(&title), "{title:?} not exact in --json: {titles:#?}");
    }
    assert!(titles.contains(&URDU));
}

#[test]
fn fail_vocab_labels_and_error_lines_are_escaped_too() {
    let g = Gawahi::init();
    let v = g.vault_str();
    g.run(&["vocab", &v, "courts", "--add", "hostile_court", "--en", "\u{1b}[2JCourt\r", "--ur", "عدالت\u{202e}"]).ok();
    let en = g.run(&["vocab", &v, "courts"]);
    assert_eq!(en.code, 0, "{en:#?}");
    assert_inert(&en.stdout);
    assert!(en.stdout.lines().any(|l| l == "hostile_court\t\\x1b[2JCourt\\r"), "{}", en.stdout);
    let ur = g.run(&["vocab", &v, "courts", "--lang", "ur"]);
    assert_inert(&ur.stdout);
    assert!(ur.stdout.lines().any(|l| l == "hostile_court\tعدالت\\u{202e}"), "{}", ur.stdout);
    let exact = g.run(&["vocab", &v, "courts", "--json"]).json();
    let entry = exact.as_array().expect("array").iter().find(|e| e["code"] == json!("hostile_court")).cloned();
    assert_eq!(entry.map(|e| e["en"].clone()), Some(Value::from("\u{1b}[2JCourt\r")));

    // An error line never repeats typed text (a path here), escaped or not.
    let path = g.tmp.path().join("no\u{1b}]0;x\u{7}vault");
    let err = g.run(&["list", &path.display().to_string(), "task"]);
    assert_eq!(err.code, 4, "{err:#?}");
    assert_inert(&err.stderr);
    assert!(!err.stderr.contains("0;x"), "{}", err.stderr);
}
