use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::vaults::{LONG, unlocked_app, vault_of_incidents};

/// The app's `CLEAR_AFTER`, and a margin for the page and GTK's main loop.
const CLEARED_BY: Duration = Duration::from_secs(30 + 10);

/// What the display's clipboard holds as text, as another program reads it.
fn clipboard() -> String {
    let out = Command::new("xclip").args(["-o", "-selection", "clipboard"]).output().expect("xclip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Another program puts `text` in the clipboard and serves it until someone else takes the
/// clipboard (or it is stopped).
fn another_program_copies(text: &str) -> Child {
    let mut child = Command::new("xclip")
        .args(["-i", "-selection", "clipboard", "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), text.as_bytes()).expect("write");
    child
}

#[test]
fn a_copied_key_leaves_the_clipboard_after_30_seconds_unless_something_else_was_copied_since() {
    let vault = vault_of_incidents(["Raid on the office".to_owned()]);
    let mut app = unlocked_app("clipboard", &vault);
    app.s().click_on("[data-testid=nav-contacts]");
    app.s().wait("[data-testid=own-recipient-copy]", LONG);
    let recipient = app.s().value_of("[data-testid=own-recipient]");
    assert!(recipient.starts_with("age1"), "{recipient}");

    app.s().click_on("[data-testid=own-recipient-copy]");
    let copied = Instant::now();
    app.s().wait_until("the key in the clipboard", LONG, |_| clipboard() == recipient);
    app.s().wait_until("the notice", LONG, |s| s.text_of("[data-testid=clipboard-notice]").contains("30 seconds"));
    app.shot("copied");
    app.s().wait_until("the clipboard cleared", CLEARED_BY, |_| clipboard().is_empty());
    assert!(copied.elapsed() >= Duration::from_secs(29), "cleared after {:?}", copied.elapsed());
    app.s().wait_until("the notice says so", LONG, |s| {
        s.text_of("[data-testid=clipboard-notice]").contains("No longer in the clipboard")
    });

    // Copied again, then something else copied by another program: that is left alone.
    app.s().click_on("[data-testid=own-recipient-copy]");
    app.s().wait_until("the key in the clipboard again", LONG, |_| clipboard() == recipient);
    let mut other = another_program_copies("a note of the person's own");
    app.s().wait_until("the other program's text", LONG, |_| clipboard() == "a note of the person's own");
    std::thread::sleep(CLEARED_BY);
    assert_eq!(clipboard(), "a note of the person's own", "the app cleared what was not its own");
    let _ = other.kill();
    let _ = other.wait();
    app.close();
}
