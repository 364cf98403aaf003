//! Camouflage: with the setting on, the window shows a neutral title ("Notes") and a plain
//! note-pad icon instead of Gawahi's name and emblem, so a glance at the taskbar, the window
//! switcher or a screenshot does not say that a human rights vault is open. What it cannot
//! change (the package, its menu entry, the process's name and the folders named after the app)
//! is listed in `docs/threat-model.md`.

use tauri::Manager;
use tauri::image::Image;

use crate::ipc::Settings;

/// The window's title when camouflage is off.
pub const OWN_TITLE: &str = "Gawahi — گواہی";

/// The neutral icon: a plain note pad, drawn for Gawahi (no trademark of another program).
const NEUTRAL_ICON_PNG: &[u8] = include_bytes!("../../assets/icons/camouflage-notes.png");

/// The window's title under these settings: the app's own, or a neutral one in the window's
/// language.
pub fn title(settings: &Settings) -> &'static str {
    match (settings.camouflage, settings.language.as_str()) {
        (false, _) => OWN_TITLE,
        (true, "ur") => "نوٹس",
        (true, _) => "Notes",
    }
}

/// The neutral icon as RGBA pixels, or `None` if it cannot be decoded (it is compiled in, so
/// only a broken build could; the window then keeps whatever icon it has).
pub fn neutral_icon() -> Option<Image<'static>> {
    let decoder = png::Decoder::new(std::io::Cursor::new(NEUTRAL_ICON_PNG));
    let mut reader = decoder.read_info().ok()?;
    let mut pixels = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut pixels).ok()?;
    if frame.color_type != png::ColorType::Rgba || frame.bit_depth != png::BitDepth::Eight {
        return None;
    }
    pixels.truncate(frame.buffer_size());
    Some(Image::new_owned(pixels, frame.width, frame.height))
}

/// Shows `settings`' camouflage (or its absence) on `window`: title and icon.
pub fn apply(window: &tauri::WebviewWindow, settings: &Settings) {
    // A title or icon the window manager refuses leaves the previous one; nothing to tell.
    let _ = window.set_title(title(settings));
    let icon = if settings.camouflage { neutral_icon() } else { window.app_handle().default_window_icon().cloned() };
    if let Some(icon) = icon {
        let _ = window.set_icon(icon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camouflage_gives_a_neutral_title_in_the_windows_language() {
        let on = |language: &str| Settings { camouflage: true, language: language.into(), ..Settings::default() };
        assert_eq!(title(&Settings::default()), OWN_TITLE);
        assert_eq!(title(&on("en")), "Notes");
        assert_eq!(title(&on("ur")), "نوٹس");
        for neutral in [title(&on("en")), title(&on("ur"))] {
            assert!(!neutral.contains("Gawahi") && !neutral.contains("گواہی"), "{neutral}");
        }
    }

    #[test]
    fn the_neutral_icon_decodes_to_square_rgba() {
        let icon = neutral_icon().expect("the compiled-in icon decodes");
        assert_eq!((icon.width(), icon.height()), (128, 128));
        assert_eq!(icon.rgba().len(), 128 * 128 * 4);
        // Not blank: the page is drawn.
        assert!(icon.rgba().chunks(4).any(|p| p[3] == 255));
    }
}
