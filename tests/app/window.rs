use std::time::Duration;

use gawahi_e2e::app::App;

/// A person who made the window smaller (a laptop, a second screen) finds it at that size when
/// the app starts again; the size is kept in the settings file, outside the vault.
#[test]
fn the_window_opens_at_the_size_it_was_left_at() {
    let app = App::launch("window-size");
    app.s().wait("#main", Duration::from_secs(30));
    let inner = |app: &App| {
        let v = app.s().execute("return [window.innerWidth, window.innerHeight];", &[]);
        (v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0))
    };
    let first = inner(&app);
    app.s().set_window_size(1000, 640);
    let settings = app.home.path().join("config/org.gawahi.app/settings.json");
    let kept = || -> Option<(u64, u64)> {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&settings).ok()?).ok()?;
        Some((v["windowSize"]["width"].as_u64()?, v["windowSize"]["height"].as_u64()?))
    };
    app.s().wait_until("the new size kept in the settings", Duration::from_secs(10), |_| {
        kept().is_some_and(|k| k != first)
    });
    let kept_size = kept().expect("kept");
    assert_eq!(inner(&app), kept_size, "what is kept is the page's size");
    let app = app.restart("window-size-again");
    app.s().wait("#main", Duration::from_secs(30));
    assert_eq!(inner(&app), kept_size, "the window opened at the size it was left at, not at {first:?}");
}

/// Every entry of the sidebar, Settings last among them, can be reached in a short window (a
/// laptop's 1024×680 and 1280×800), in English and in Urdu, whose script needs taller lines: the
/// sidebar scrolls on its own rather than cutting its end off. The top bar's search box stands
/// as tall as the buttons beside it.
#[test]
fn every_sidebar_entry_is_reachable_and_the_search_box_fits_the_top_bar_in_short_windows() {
    let vault = crate::vaults::vault_of_incidents((0..3).map(|i| format!("Incident {i}")));
    for lang in ["en", "ur"] {
        let mut app = App::launch_with_vault_and_settings(&format!("sidebar-{lang}"), &vault.path, lang, 5);
        crate::vaults::unlock(&app);
        for (width, height) in [(1024, 680), (1280, 800)] {
            app.s().set_window_size(width, height);
            app.s().wait_until("the window to take its size", Duration::from_secs(10), |s| {
                s.execute("return window.innerHeight;", &[]).as_u64().is_some_and(|h| h <= u64::from(height))
            });
            app.shot(&format!("sidebar-{width}x{height}"));
            // Each link is scrolled to as the keyboard's Tab would, then must be wholly inside
            // both the sidebar and the window, and be what a click at its middle reaches.
            let unreachable = app.s().execute(
                "const nav = document.querySelector('nav.side');
                 const out = [];
                 for (const a of nav.querySelectorAll('a')) {
                   a.scrollIntoView({ block: 'nearest' });
                   const r = a.getBoundingClientRect();
                   const n = nav.getBoundingClientRect();
                   const inside = r.top >= n.top - 1 && r.bottom <= n.bottom + 1 && r.bottom <= window.innerHeight + 1;
                   const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                   if (!inside || !hit || !a.contains(hit)) out.push(a.dataset.testid);
                 }
                 return out;",
                &[],
            );
            assert_eq!(unreachable, serde_json::json!([]), "{lang} at {width}×{height}: entries out of reach");
            assert!(app.s().find("[data-testid=nav-settings]").is_some(), "the sidebar has Settings");
            let heights = app.s().execute(
                "const h = (css) => document.querySelector(css).getBoundingClientRect().height;
                 return [h('[data-testid=search-box]'), h('[data-testid=search-submit]'), h('[data-testid=lock]')];",
                &[],
            );
            let [search, submit, lock] = [0, 1, 2].map(|i| heights[i].as_f64().unwrap_or(0.0));
            assert!(
                (search - submit).abs() <= 1.0 && (search - lock).abs() <= 1.0,
                "{lang} at {width}×{height}: the search box is {search}px tall, its button {submit}px, Lock {lock}px; {}",
                app.s().execute(
                    "const c = getComputedStyle(document.querySelector('[data-testid=search-box]'));
                     return [c.appearance, c.webkitAppearance, c.paddingTop, c.lineHeight, c.fontSize, c.minHeight, c.height, c.boxSizing, c.fontFamily].join(' | ');",
                    &[]
                )
            );
            // Back to the top of the sidebar for the next size's screenshot.
            app.s().execute("document.querySelector('nav.side').scrollTop = 0;", &[]);
        }
    }
}

/// The first screen's stylesheet is inlined into the page (ui/build/inlineEntryCss.ts): it applies,
/// in English and in Urdu, because Tauri gave it a nonce that the page's policy names, and the
/// policy still refuses a style or a script the page did not ship, as an injection would add
/// them.
#[test]
fn fail_the_page_applies_its_own_inline_stylesheet_and_refuses_any_other_style_or_script() {
    let vault = crate::vaults::vault_of_incidents(["Inline styles".to_owned()]);
    for lang in ["en", "ur"] {
        let mut app = App::launch_with_vault_and_settings(&format!("inline-style-{lang}"), &vault.path, lang, 5);
        app.s().wait("#unlock-passphrase", Duration::from_secs(30));
        let v = app.s().execute(
            "const before = getComputedStyle(document.body);
             const styled = [before.marginTop, getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()];
             const first = document.styleSheets[0]?.ownerNode;
             const own = [...document.querySelectorAll('style')].map((s) => s.nonce.length > 0);
             const style = document.createElement('style');
             style.textContent = 'body { margin-top: 77px !important; }';
             document.head.appendChild(style);
             const script = document.createElement('script');
             script.textContent = 'window.__injected = true;';
             document.head.appendChild(script);
             return [styled, first?.tagName ?? null, own, getComputedStyle(document.body).marginTop, window.__injected === true];",
            &[],
        );
        assert_eq!(v[0], serde_json::json!(["0px", "#0b5f6b"]), "{lang}: the page's own styles apply: {v}");
        // The lazy chunks' stylesheets are links, added after the first frame; the page's own
        // comes first and is no file.
        assert_eq!(v[1], serde_json::json!("STYLE"), "{lang}: the page's first stylesheet is inline: {v}");
        assert_eq!(v[2], serde_json::json!([true]), "{lang}: one <style>, with Tauri's nonce: {v}");
        assert_eq!(v[3], serde_json::json!("0px"), "{lang}: an injected <style> was applied: {v}");
        assert_eq!(v[4], serde_json::json!(false), "{lang}: an injected inline script ran: {v}");
        app.close();
    }
}

/// Until the UI's script has run, the page shows a copy of its first screen drawn at build time
/// (ui/build/firstScreens.ts). The copy is the live screen's twin in the page's language, it is
/// gone once the live screen is up, and the passphrase typed at once goes into the live field.
#[test]
fn the_first_screens_copy_gives_way_to_the_live_one_and_typing_works_at_once() {
    let vault = crate::vaults::vault_of_incidents(["First screen copy".to_owned()]);
    for lang in ["en", "ur"] {
        let mut app = App::launch_with_vault_and_settings(&format!("first-copy-{lang}"), &vault.path, lang, 5);
        app.s().wait("#unlock-passphrase", Duration::from_secs(30));
        app.s().type_into("#unlock-passphrase", "typed at once");
        let v = app.s().execute(
            &format!(
                "const copy = document.getElementById('first-screen-unlock-{lang}').content;
                 return [document.querySelectorAll('[data-prerendered]').length,
                         document.querySelectorAll('#app main').length,
                         copy.querySelector('h1').textContent === document.getElementById('unlock-title').textContent,
                         copy.querySelectorAll('[data-testid], [autofocus], [id=\"unlock-passphrase\"]').length,
                         document.getElementById('unlock-passphrase').value,
                         document.activeElement?.id ?? null,
                         performance.getEntriesByName('gawahi:first-screen-copy')[0]?.startTime
                           < performance.getEntriesByName('gawahi:script')[0]?.startTime];"
            ),
            &[],
        );
        assert_eq!(v[0], serde_json::json!(0), "{lang}: the copy is gone once the live screen is up: {v}");
        assert_eq!(v[1], serde_json::json!(1), "{lang}: one screen in the page: {v}");
        assert_eq!(v[2], serde_json::json!(true), "{lang}: the copy is the live screen's twin, in its language: {v}");
        assert_eq!(v[3], serde_json::json!(0), "{lang}: nothing meant for the live screen finds the copy: {v}");
        assert_eq!(v[4], serde_json::json!("typed at once"), "{lang}: what was typed is in the live field: {v}");
        assert_eq!(v[5], serde_json::json!("unlock-passphrase"), "{lang}: the live field has the focus: {v}");
        assert_eq!(v[6], serde_json::json!(true), "{lang}: the copy was in the page before the UI's script ran: {v}");
        // For a person to compare: the live screen, then the copy put back in its place as the
        // page's own script would (artifacts/e2e/first-copy-*/).
        app.shot("live");
        app.s().execute(
            &format!(
                "const live = document.querySelector('#app main');
                 const copy = document.getElementById('first-screen-unlock-{lang}').content.firstElementChild.cloneNode(true);
                 copy.querySelector('.vault-path .code').textContent = document.querySelector('.vault-path .code').textContent;
                 live.replaceWith(copy);"
            ),
            &[],
        );
        app.shot("copy");
        app.close();
    }
}
