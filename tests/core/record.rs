//! Calls the core's commands by name with JSON arguments, exactly as the IPC bridge does, and
//! records every exchange (and every event) for the UI's tests: `ui/src/fixtures/recorded.ts`.
//! The UI's fakes answer only what is recorded there, so they answer only what Rust answers.
//!
//! `POSTDESK_UPDATE_FIXTURES=1` rewrites the file; otherwise the run checks that the committed
//! file records the same exchanges (scenario, command, and the outcome: ok or the error code).

use std::path::PathBuf;
use std::sync::Mutex;

use postdesk_base::IpcError;
use postdesk_core::contract::dispatch;
use postdesk_core::{Core, Event};
use serde_json::{json, Value};

/// A JSON array with one element per line (a diff shows which exchange changed).
fn one_per_line(list: &[Value]) -> String {
    let lines: Vec<String> = list
        .iter()
        .map(|v| format!("  {}", serde_json::to_string(v).unwrap()))
        .collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

pub struct Recorder {
    scenario: Mutex<String>,
    exchanges: Mutex<Vec<Value>>,
    events: Mutex<Vec<Value>>,
    /// Text that must never appear in an answer (pasted keys, tokens), and what stands for it
    /// in the recorded arguments.
    secrets: Mutex<Vec<(String, String)>>,
    /// The test's scratch folder, written as `/home/user` in the recording.
    dir: String,
}

impl Recorder {
    pub fn new(dir: &std::path::Path) -> Self {
        Recorder {
            scenario: Mutex::new(String::new()),
            exchanges: Mutex::default(),
            events: Mutex::default(),
            secrets: Mutex::default(),
            dir: dir.display().to_string(),
        }
    }

    /// The scenario the next exchanges belong to.
    pub fn scenario(&self, name: &str) {
        *self.scenario.lock().unwrap() = name.to_owned();
    }

    /// A secret the next calls use: never allowed in an answer, masked in the recording.
    pub fn secret(&self, raw: &str) {
        let tail = &raw[raw.len().saturating_sub(4)..];
        let stand_in = if raw.starts_with("PMAT-") {
            format!("PMAT-0000000000000000000000{tail}")
        } else {
            format!("PMAK-000000000000000000000000-000000000000000000000000000000{tail}")
        };
        self.secrets
            .lock()
            .unwrap()
            .push((raw.to_owned(), stand_in));
    }

    fn scrub(&self, v: &Value) -> Value {
        let mut text = serde_json::to_string(v).unwrap();
        for (raw, stand_in) in self.secrets.lock().unwrap().iter() {
            text = text.replace(raw, stand_in);
        }
        text = text.replace(&self.dir, "/home/user");
        serde_json::from_str(&text).unwrap()
    }

    /// Calls `command` with `args`; records the exchange.
    pub async fn call(&self, core: &Core, command: &str, args: Value) -> Result<Value, IpcError> {
        let out = dispatch(core, command, args.clone()).await;
        let answer = match &out {
            Ok(v) => serde_json::to_string(v).unwrap(),
            Err(e) => serde_json::to_string(e).unwrap(),
        };
        for (raw, _) in self.secrets.lock().unwrap().iter() {
            assert!(
                !answer.contains(raw.as_str()),
                "{command} answered with a secret"
            );
        }
        let scenario = self.scenario.lock().unwrap().clone();
        let mut exchange = json!({
            "scenario": scenario,
            "command": command,
            "args": self.scrub(&args),
        });
        match &out {
            Ok(v) => exchange["ok"] = self.scrub(v),
            Err(e) => exchange["err"] = self.scrub(&serde_json::to_value(e).unwrap()),
        }
        self.exchanges.lock().unwrap().push(exchange);
        out
    }

    /// [`Recorder::call`] that must succeed.
    pub async fn ok(&self, core: &Core, command: &str, args: Value) -> Value {
        self.call(core, command, args)
            .await
            .unwrap_or_else(|e| panic!("{command}: {e}"))
    }

    /// [`Recorder::call`] that must fail with `code`; returns the message.
    pub async fn err(&self, core: &Core, command: &str, args: Value, code: &str) -> String {
        match self.call(core, command, args).await {
            Ok(v) => panic!("{command} answered {v} instead of {code}"),
            Err(e) => {
                assert_eq!(e.code, code, "{command}: {}", e.message);
                e.message
            }
        }
    }

    /// A delete that asks for the name typed: refused with `wrong` (failing with `code`), then
    /// done with `right`; `target` is its arguments but `confirmName`. Returns the answer.
    pub async fn delete_by_name(
        &self,
        core: &Core,
        command: &str,
        target: Value,
        [wrong, right]: [&str; 2],
        code: &str,
    ) -> Value {
        let named = |name: &str| {
            let mut args = target.clone();
            args["confirmName"] = Value::from(name);
            args
        };
        self.err(core, command, named(wrong), code).await;
        self.ok(core, command, named(right)).await
    }

    /// Records the events the host received (in the current scenario), once each kind.
    pub fn events(&self, events: &[Event]) {
        let scenario = self.scenario.lock().unwrap().clone();
        let mut seen = std::collections::HashSet::new();
        for e in events {
            if seen.insert(e.name()) {
                let payload = self.scrub(&e.payload());
                self.events.lock().unwrap().push(json!({
                    "scenario": scenario,
                    "event": e.name(),
                    "payload": payload,
                }));
            }
        }
    }

    /// Writes the recording (`POSTDESK_UPDATE_FIXTURES=1`) or checks the committed one.
    pub fn finish(&self) {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/fixtures/recorded.ts");
        let exchanges = self.exchanges.lock().unwrap().clone();
        let events = self.events.lock().unwrap().clone();
        let commands: std::collections::BTreeSet<&str> = exchanges
            .iter()
            .filter_map(|e| e["command"].as_str())
            .collect();
        for name in postdesk_core::COMMAND_NAMES {
            assert!(commands.contains(name), "no exchange of {name} is recorded");
        }
        if std::env::var_os("POSTDESK_UPDATE_FIXTURES").is_some() {
            let text = format!(
                "// Generated by `POSTDESK_UPDATE_FIXTURES=1 scripts/with-keyring.sh cargo test -p postdesk-core --test core`\n\
                 // from the core's integration tests (tests/core): what Rust really answered. Do not edit.\n\
                 import type {{ Recording }} from '../testing/recording';\n\
                 import type {{ EventMap, EventName }} from '../bindings/Commands';\n\n\
                 export type RecordedEvent = {{ [E in EventName]: {{ scenario: string; event: E; payload: EventMap[E] }} }}[EventName];\n\n\
                 export const recorded = {} satisfies Recording;\n\n\
                 export const recordedEvents = {} satisfies readonly RecordedEvent[];\n",
                one_per_line(&exchanges),
                one_per_line(&events)
            );
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        let start = committed
            .find("export const recorded = ")
            .map(|i| i + "export const recorded = ".len());
        let end = committed.find(" satisfies Recording;");
        let old: Vec<Value> = match (start, end) {
            (Some(s), Some(e)) => serde_json::from_str(&committed[s..e]).unwrap_or_default(),
            _ => Vec::new(),
        };
        let outline = |list: &[Value]| -> Vec<String> {
            list.iter()
                .map(|e| {
                    let outcome = match e.get("err") {
                        Some(err) => format!("err {}", err["code"].as_str().unwrap_or("?")),
                        None => "ok".to_owned(),
                    };
                    format!(
                        "{} | {} | {outcome}",
                        e["scenario"].as_str().unwrap_or(""),
                        e["command"].as_str().unwrap_or("")
                    )
                })
                .collect()
        };
        let (old, new) = (outline(&old), outline(&exchanges));
        if let Some(i) = (0..old.len().max(new.len())).find(|i| old.get(*i) != new.get(*i)) {
            panic!(
                "ui/src/fixtures/recorded.ts is stale from exchange {i} (recorded: {:?}, now: {:?}): run POSTDESK_UPDATE_FIXTURES=1 scripts/with-keyring.sh cargo test -p postdesk-core --test core",
                old.get(i),
                new.get(i)
            );
        }
    }
}
