//! A small W3C WebDriver client: just the endpoints the app's end-to-end tests use, over plain
//! HTTP to tauri-driver on loopback. Blocking and dependency-light on purpose (ureq + serde_json).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session.
#[derive(Debug)]
pub struct Session {
    base: String,
    id: String,
    agent: ureq::Agent,
}

/// An element of the page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Starts a session with `capabilities` on the driver at `base` (`http://127.0.0.1:4444`).
    pub fn start(base: &str, capabilities: &Value) -> Result<Self, String> {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(40))).build().into();
        let mut s = Self { base: base.to_owned(), id: String::new(), agent };
        let v = s.call("POST", "/session", Some(json!({"capabilities": {"alwaysMatch": capabilities}})))?;
        v["sessionId"].as_str().ok_or_else(|| format!("no session id in {v}"))?.clone_into(&mut s.id);
        Ok(s)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, Some(b)) => self.agent.post(&url).content_type("application/json").send(b.to_string().as_bytes()),
            (_, None) => self.agent.post(&url).content_type("application/json").send(b"{}".as_slice()),
        };
        let mut response = match response {
            Ok(r) => r,
            Err(ureq::Error::StatusCode(code)) => return Err(format!("{method} {path}: HTTP {code}")),
            Err(e) => return Err(format!("{method} {path}: {e}")),
        };
        let text = response.body_mut().read_to_string().map_err(|e| format!("{method} {path}: {e}"))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("{method} {path}: {e}: {text}"))?;
        if let Some(err) = v["value"].get("error") {
            return Err(format!("{method} {path}: {err}: {}", v["value"]["message"]));
        }
        Ok(v["value"].clone())
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        self.call(method, &format!("/session/{}{path}", self.id), body)
    }

    /// The first element matching the CSS selector, if any.
    pub fn find(&self, css: &str) -> Option<Element> {
        let v = self.session_call("POST", "/element", Some(json!({"using": "css selector", "value": css}))).ok()?;
        v[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    /// Every element matching the CSS selector.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.session_call("POST", "/elements", Some(json!({"using": "css selector", "value": css})))
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
            .collect()
    }

    /// Waits up to `timeout` for an element matching `css`; panics naming it if none comes.
    pub fn wait(&self, css: &str, timeout: Duration) -> Element {
        let started = Instant::now();
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {css}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `predicate` holds.
    pub fn wait_until(&self, what: &str, timeout: Duration, mut predicate: impl FnMut(&Self) -> bool) {
        let started = Instant::now();
        while !predicate(self) {
            assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks an element, first scrolled into view within its own scrolling box: WebKitWebDriver
    /// refuses (HTTP 400) a click on an element its scrolling box has cut off, such as the last
    /// entries of the sidebar in a short window.
    pub fn click(&self, e: &Element) {
        let element = json!({ELEMENT_KEY: e.0});
        self.execute("arguments[0].scrollIntoView({block: 'nearest', inline: 'nearest'})", &[element]);
        self.session_call("POST", &format!("/element/{}/click", e.0), Some(json!({}))).expect("click");
    }

    /// Clicks the element matching `css`, waiting for it first.
    pub fn click_on(&self, css: &str) {
        let e = self.wait(css, Duration::from_secs(10));
        self.click(&e);
    }

    /// Types `text` into an element (after clearing it).
    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.wait(css, Duration::from_secs(10));
        let _ = self.session_call("POST", &format!("/element/{}/clear", e.0), Some(json!({})));
        self.session_call("POST", &format!("/element/{}/value", e.0), Some(json!({"text": text}))).expect("type");
    }

    /// Sets the value of a form control through the DOM and fires `input` and `change`, as a
    /// user's choice would. Used for selects and date inputs, whose native pickers WebDriver
    /// cannot drive.
    pub fn set_value(&self, css: &str, value: &str) {
        self.wait(css, Duration::from_secs(10));
        self.execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', {bubbles: true}));
             el.dispatchEvent(new Event('change', {bubbles: true}));",
            &[json!(css), json!(value)],
        );
    }

    /// An attribute of an element, if it has it.
    pub fn attribute(&self, e: &Element, name: &str) -> Option<String> {
        self.session_call("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// The value of the form control matching `css`, waiting for it.
    pub fn value_of(&self, css: &str) -> String {
        self.wait(css, Duration::from_secs(10));
        self.execute("return document.querySelector(arguments[0]).value;", &[json!(css)])
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The visible text of an element.
    pub fn text(&self, e: &Element) -> String {
        self.session_call("GET", &format!("/element/{}/text", e.0), None)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The text of the element matching `css`, waiting for it.
    pub fn text_of(&self, css: &str) -> String {
        let e = self.wait(css, Duration::from_secs(10));
        self.text(&e)
    }

    /// Sets the window's size, as a person dragging its corner would.
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.session_call("POST", "/window/rect", Some(json!({"width": width, "height": height})))
            .expect("window rect");
    }

    /// Runs `script` in the page and returns its result.
    pub fn execute(&self, script: &str, args: &[Value]) -> Value {
        self.session_call("POST", "/execute/sync", Some(json!({"script": script, "args": args}))).expect("execute")
    }

    /// Runs `script` asynchronously: it must call its last argument with the result.
    pub fn execute_async(&self, script: &str, args: &[Value]) -> Value {
        self.session_call("POST", "/execute/async", Some(json!({"script": script, "args": args})))
            .expect("execute async")
    }

    /// A PNG screenshot of the window.
    pub fn screenshot(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        let v = self.session_call("GET", "/screenshot", None).ok()?;
        base64::engine::general_purpose::STANDARD.decode(v.as_str()?).ok()
    }

    /// Runs what follows in the frame `frame` of the current browsing context (WebDriver's "Switch
    /// To Frame"), as script that frame loaded would run; `Err` when the driver cannot enter it.
    pub fn enter_frame(&self, frame: &Element) -> Result<(), String> {
        self.session_call("POST", "/frame", Some(json!({"id": {ELEMENT_KEY: frame.0}}))).map(|_| ())
    }

    /// Enters the `index`th frame of the current browsing context (for a frame the page's own
    /// script cannot name, such as one a frame made itself).
    pub fn enter_frame_at(&self, index: u32) -> Result<(), String> {
        self.session_call("POST", "/frame", Some(json!({"id": index}))).map(|_| ())
    }

    /// Back to the top-level document of the window.
    pub fn leave_frames(&self) {
        let _ = self.session_call("POST", "/frame", Some(json!({"id": null})));
    }

    /// Runs `script` as [`Session::execute`] does, giving back the driver's error instead of
    /// failing the test (a frame that is gone, a script the frame refused).
    pub fn try_execute(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.session_call("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// As [`Session::execute_async`], giving back the driver's error instead of failing the test.
    pub fn try_execute_async(&self, script: &str, args: &[Value]) -> Result<Value, String> {
        self.session_call("POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Ends the session, closing the app.
    pub fn end(self) {
        let _ = self.session_call("DELETE", "", None);
    }
}
