//! Copies the window's values (a hash, a fingerprint, a key) to the clipboard and clears them
//! again after [`CLEAR_AFTER`], if the clipboard still holds them. Done here, through GTK, not by
//! the page: WebKit lets a page write the clipboard but not read it back without a click, so the
//! page could not tell whether what is there is still ours.
//!
//! The text waits in a zeroized buffer. What the clipboard cannot take back: a clipboard manager
//! of the desktop may keep a history of its own (`docs/threat-model.md`).

use std::time::Duration;

use zeroize::Zeroizing;

/// How long a copied value stays in the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(30);

/// The longest value the window may copy: a hash, a fingerprint, an age recipient or an SSH key
/// is well below it.
pub const MAX_TEXT: usize = 4096;

/// Whether the clipboard, which now holds `holds` (`None`: nothing readable as text), is to be
/// cleared after we put `ours` there: only if it still holds exactly that.
pub fn still_ours(holds: Option<&str>, ours: &str) -> bool {
    holds == Some(ours)
}

/// Puts `text` in the clipboard and clears it after [`CLEAR_AFTER`] if it is still there. Must
/// run on the GTK main thread.
#[cfg(target_os = "linux")]
pub fn copy_for_a_while(text: Zeroizing<String>) {
    use gtk::gdk::SELECTION_CLIPBOARD;
    use gtk::glib;
    let clipboard = gtk::Clipboard::get(&SELECTION_CLIPBOARD);
    clipboard.set_text(&text);
    glib::timeout_add_local_once(CLEAR_AFTER, move || {
        let clipboard = gtk::Clipboard::get(&SELECTION_CLIPBOARD);
        clipboard.request_text(move |clipboard, holds| {
            if still_ours(holds, &text) {
                // An empty text rather than `clear`: `clear` drops only a selection we own,
                // and a clipboard manager that took the text over would keep it.
                clipboard.set_text("");
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_value_is_cleared() {
        let ours = "SHA-256 0f3a…";
        assert!(still_ours(Some(ours), ours));
        assert!(!still_ours(Some("something the person copied since"), ours));
        assert!(!still_ours(Some(""), ours));
        assert!(!still_ours(None, ours), "an image or nothing: not ours");
        assert!(!still_ours(Some(&format!("{ours} ")), ours));
    }
}
