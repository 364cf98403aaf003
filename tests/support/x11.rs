//! Closing a window the way a window manager does when its close button is pressed: an X
//! `ClientMessage` of type `WM_PROTOCOLS` carrying `WM_DELETE_WINDOW`, sent to the window. The
//! test display (Xvfb) runs no window manager, and xdotool can only destroy a window or kill its
//! client, neither of which is a close request: GTK would never tell the app its window is asked
//! to close.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask, MapState};

/// Asks every mapped top-level window of the process `pid` that accepts `WM_DELETE_WINDOW` to
/// close, on the display of `$DISPLAY`; returns how many were asked.
pub fn request_close(pid: u32) -> Result<usize, String> {
    let (conn, screen) = x11rb::connect(None).map_err(|e| format!("no X display: {e}"))?;
    let root = conn.setup().roots[screen].root;
    let atom = |name: &[u8]| -> Result<u32, String> {
        Ok(conn.intern_atom(false, name).map_err(|e| e.to_string())?.reply().map_err(|e| e.to_string())?.atom)
    };
    let (net_wm_pid, wm_protocols, wm_delete) =
        (atom(b"_NET_WM_PID")?, atom(b"WM_PROTOCOLS")?, atom(b"WM_DELETE_WINDOW")?);
    let children = conn.query_tree(root).map_err(|e| e.to_string())?.reply().map_err(|e| e.to_string())?.children;
    let mut asked = 0;
    for window in children {
        let property = |name: u32, kind: AtomEnum, len: u32| {
            conn.get_property(false, window, name, kind, 0, len).ok().and_then(|c| c.reply().ok())
        };
        let owner = property(net_wm_pid, AtomEnum::CARDINAL, 1).and_then(|r| r.value32().and_then(|mut v| v.next()));
        if owner != Some(pid) {
            continue;
        }
        let mapped = conn.get_window_attributes(window).ok().and_then(|c| c.reply().ok()).map(|a| a.map_state);
        let accepts = property(wm_protocols, AtomEnum::ATOM, 32)
            .and_then(|r| r.value32().map(|mut v| v.any(|a| a == wm_delete)))
            .unwrap_or(false);
        if mapped != Some(MapState::VIEWABLE) || !accepts {
            continue;
        }
        let event = ClientMessageEvent::new(32, window, wm_protocols, [wm_delete, x11rb::CURRENT_TIME, 0, 0, 0]);
        conn.send_event(false, window, EventMask::NO_EVENT, event).map_err(|e| e.to_string())?;
        asked += 1;
    }
    conn.flush().map_err(|e| e.to_string())?;
    Ok(asked)
}
