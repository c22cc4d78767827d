//! The contract between the core and the UI, generated from the one command list
//! (`commands.rs`, [`crate::postdesk_commands`]) and the one event list ([`Event`]):
//!
//! - [`Commands`]: the trait the core implements, one `async` method per command (a command
//!   without a body does not compile);
//! - [`dispatch`]: calls a command by name with its arguments as JSON, exactly as the IPC
//!   bridge does (the core's tests go through it, and record what it answers);
//! - [`COMMAND_NAMES`], and [`typescript`]: the TypeScript types of every command's arguments
//!   and result, of every event, and the formats of Postman's secrets, for `ui/src/bindings`.

use std::collections::BTreeMap;
use std::future::Future;

use postdesk_base::IpcError;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

/// Every type a command takes or returns.
pub mod types {
    pub use crate::app::AppInfo;
    pub use crate::clipboard::Copied;
    pub use crate::prefs::Prefs;
    pub use crate::updates::{UpdateCheck, UpdateInstalled};
    pub use postdesk_base::Secret;
    pub use postdesk_drafts::{DraftKind, SaveOutcome};
    pub use postdesk_engine::{ActiveKey, ActivityRow, ExportFormat, Meters, UsageSummary};
    pub use postdesk_keys::{AddKey, KeyView, Reminder, Rotation};
    pub use postdesk_library::{
        CollectionColumns, CollectionEdit, CollectionView, Created, DraftsOverview, EnvVariable,
        EnvironmentRow, EnvironmentView, Listed, RequestDetail, TextOutcome, TreeNode,
        WorkspaceRow,
    };
    pub use postdesk_mocks::{
        CallDetails, CallFilter, CallRow, LocalMock, LocalStart, MockInput, MockList, TryRequest,
        TryResult,
    };
    pub use postdesk_monitors::{
        MonitorInput, MonitorList, MonthEstimate, RunDetails, RunOutcome, RunRecord,
        SchedulePreview,
    };
    pub use postdesk_sharing::{AccessKeyPageView, RevokeResult, ShareText, ShareTexts, ShareView};
}
use types::*;

macro_rules! declare_commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $res:ty ; )*) => {
        /// The use cases behind the UI's commands (see `commands.rs` for what each does).
        pub trait Commands: Send + Sync {
            $(
                $(#[doc = $doc])*
                fn $name(&self, $( $arg: $ty ),*)
                    -> impl Future<Output = Result<$res, IpcError>> + Send;
            )*
        }

        /// Every command's name, in the order of the list.
        pub const COMMAND_NAMES: &[&str] = &[$( stringify!($name) ),*];

        /// Calls command `name` with `args` (a JSON object, camelCase keys, as the UI sends
        /// them) and returns its answer as JSON, as the IPC bridge would.
        pub async fn dispatch<C: Commands>(core: &C, name: &str, args: Value) -> Result<Value, IpcError> {
            match name {
                $(
                    stringify!($name) => {
                        #[derive(serde::Deserialize)]
                        #[serde(rename_all = "camelCase")]
                        #[allow(dead_code)]
                        struct Args { $( $arg: $ty, )* }
                        let _a: Args = serde_json::from_value(args).map_err(|e| bad_args(name, e))?;
                        let out = core.$name($( _a.$arg ),*).await?;
                        Ok(serde_json::to_value(out).unwrap_or(Value::Null))
                    }
                )*
                other => Err(bad_args(other, "no such command")),
            }
        }

        /// Exports every type a command takes or returns, an event carries or an error has, and
        /// every type they refer to, into `dir` (one ts-rs file each).
        pub fn export_types(dir: &std::path::Path) -> Result<(), ts_rs::ExportError> {
            let cfg = ts_rs::Config::new().with_out_dir(dir);
            $( $( export::<$ty>(&cfg)?; )* export::<$res>(&cfg)?; )*
            export::<Meters>(&cfg)?;
            export::<postdesk_library::SaveProgressEvent>(&cfg)?;
            export::<postdesk_sharing::RevokeProgress>(&cfg)?;
            export::<crate::updates::UpdateProgress>(&cfg)?;
            export::<SecretFormatView>(&cfg)?;
            export::<IpcError>(&cfg)?;
            Ok(())
        }

        /// The TypeScript module `ui/src/bindings/Commands.ts`.
        pub fn typescript() -> String {
            let cfg = ts_rs::Config::new();
            let mut imports = BTreeMap::new();
            let mut body = String::new();
            $(
                {
                    #[allow(unused_mut)]
                    let mut args: Vec<String> = Vec::new();
                    $(
                        uses::<$ty>(&cfg, &mut imports);
                        args.push(format!("{}: {}", camel(stringify!($arg)), <$ty as TS>::name(&cfg)));
                    )*
                    uses::<$res>(&cfg, &mut imports);
                    body.push_str(&doc(&[$($doc),*], "  "));
                    let args = if args.is_empty() {
                        "Record<string, never>".to_owned()
                    } else {
                        format!("{{ {} }}", args.join("; "))
                    };
                    body.push_str(&format!(
                        "  {}: {{ args: {}; result: {} }};\n",
                        stringify!($name),
                        args,
                        <$res as TS>::name(&cfg)
                    ));
                }
            )*
            render(&cfg, imports, &body)
        }
    };
}

crate::postdesk_commands!(declare_commands);

fn bad_args(command: &str, e: impl std::fmt::Display) -> IpcError {
    IpcError {
        code: postdesk_base::error::IpcCode::Failed.into(),
        message: format!("The command {command} was called with arguments it cannot use ({e})."),
    }
}

/// Something that happens without a click, sent to the UI as a named event.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The header meters changed.
    Meters(Meters),
    /// A save moved on.
    SaveProgress(postdesk_library::SaveProgressEvent),
    /// A revoke of many keys moved on.
    RevokeProgress(postdesk_sharing::RevokeProgress),
    /// The download or install of an update moved on.
    UpdateProgress(crate::updates::UpdateProgress),
}

macro_rules! events {
    ($( $variant:ident = $name:literal : $ty:ty ),* $(,)?) => {
        impl Event {
            /// The event's name on the IPC bridge.
            pub fn name(&self) -> &'static str {
                match self { $( Event::$variant(_) => $name, )* }
            }
            /// The event's payload as JSON.
            pub fn payload(&self) -> Value {
                match self { $( Event::$variant(p) => serde_json::to_value(p).unwrap_or(Value::Null), )* }
            }
        }

        /// Every event's name.
        pub const EVENT_NAMES: &[&str] = &[$( $name ),*];

        fn event_map(cfg: &ts_rs::Config, imports: &mut BTreeMap<String, String>) -> String {
            let mut out = String::new();
            $(
                uses::<$ty>(cfg, imports);
                out.push_str(&format!("  '{}': {};\n", $name, <$ty as TS>::name(cfg)));
            )*
            out
        }
    };
}

events! {
    Meters = "meters": Meters,
    SaveProgress = "save-progress": postdesk_library::SaveProgressEvent,
    RevokeProgress = "revoke-progress": postdesk_sharing::RevokeProgress,
    UpdateProgress = "update-progress": crate::updates::UpdateProgress,
}

/// A secret's format as the UI checks a paste against it (the same data Rust checks with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecretFormatView {
    pub name: String,
    pub prefix: String,
    #[ts(type = "number[]")]
    pub groups: Vec<usize>,
    /// `hex` (0-9, a-f) or `base32` (Crockford, upper case).
    pub alphabet: String,
    #[ts(type = "number")]
    pub max_paste: usize,
}

impl From<&postdesk_base::secret::SecretFormat> for SecretFormatView {
    fn from(f: &postdesk_base::secret::SecretFormat) -> Self {
        SecretFormatView {
            name: f.name.into(),
            prefix: f.prefix.into(),
            groups: f.groups.to_vec(),
            alphabet: f.alphabet.into(),
            max_paste: f.max_paste,
        }
    }
}

/// Exports `T` (when it is a named type) and what it refers to.
fn export<T: TS + 'static + ?Sized>(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    export_once::<T>(cfg, &mut std::collections::HashSet::new())
}

/// Exports `T` and what it uses, each type once (a recursive type such as `Vec<TreeNode>`,
/// whose item holds `Vec<TreeNode>`, would otherwise be visited forever).
fn export_once<T: TS + 'static + ?Sized>(
    cfg: &ts_rs::Config,
    seen: &mut std::collections::HashSet<std::any::TypeId>,
) -> Result<(), ts_rs::ExportError> {
    struct Exporter<'a> {
        cfg: &'a ts_rs::Config,
        seen: &'a mut std::collections::HashSet<std::any::TypeId>,
        result: Result<(), ts_rs::ExportError>,
    }
    impl ts_rs::TypeVisitor for Exporter<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            if self.result.is_ok() {
                self.result = export_once::<U>(self.cfg, self.seen);
            }
        }
    }
    if !seen.insert(std::any::TypeId::of::<T>()) {
        return Ok(());
    }
    if T::output_path().is_some() {
        return T::export_all(cfg);
    }
    let mut v = Exporter {
        cfg,
        seen,
        result: Ok(()),
    };
    T::visit_dependencies(&mut v);
    T::visit_generics(&mut v);
    v.result
}

/// `snake_case` → `camelCase` (how Tauri names a command's arguments on the JS side).
fn camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Records the named types `T`'s TypeScript name mentions (`T` itself, the `U` of
/// `Option<U>`, `Vec<U>`…, and of a generic type of ours, `Listed<U>`) as `name → file`, for the
/// imports.
fn uses<T: TS + 'static + ?Sized>(cfg: &ts_rs::Config, imports: &mut BTreeMap<String, String>) {
    struct Names<'a> {
        cfg: &'a ts_rs::Config,
        imports: &'a mut BTreeMap<String, String>,
    }
    impl ts_rs::TypeVisitor for Names<'_> {
        fn visit<U: TS + 'static + ?Sized>(&mut self) {
            uses::<U>(self.cfg, self.imports);
        }
    }
    match T::output_path() {
        Some(path) => {
            imports.insert(T::ident(cfg), path.with_extension("").display().to_string());
            T::visit_generics(&mut Names { cfg, imports });
        }
        None => T::visit_generics(&mut Names { cfg, imports }),
    }
}

fn doc(lines: &[&str], indent: &str) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = format!("{indent}/**\n");
    for l in lines {
        out.push_str(&format!("{indent} *{l}\n"));
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

fn render(cfg: &ts_rs::Config, mut imports: BTreeMap<String, String>, commands: &str) -> String {
    let events = event_map(cfg, &mut imports);
    let formats: Vec<SecretFormatView> = [
        &postdesk_base::secret::API_KEY,
        &postdesk_base::secret::ACCESS_TOKEN,
    ]
    .into_iter()
    .map(SecretFormatView::from)
    .collect();
    uses::<SecretFormatView>(cfg, &mut imports);
    let mut out = String::from(
        "// Generated from src-tauri/core/commands.rs by `cargo test -p postdesk-core bindings`. Do not edit.\n",
    );
    for (name, path) in &imports {
        out.push_str(&format!("import type {{ {name} }} from './{path}';\n"));
    }
    out.push_str(
        "\n/** Every command: its arguments (camelCase, as Tauri takes them) and its result. */\n",
    );
    out.push_str("export type CommandMap = {\n");
    out.push_str(commands);
    out.push_str("};\n\nexport type CommandName = keyof CommandMap;\n\n");
    out.push_str("export const COMMAND_NAMES: readonly CommandName[] = [\n");
    for n in COMMAND_NAMES {
        out.push_str(&format!("  '{n}',\n"));
    }
    out.push_str("];\n\n/** Every event Rust sends, by name, with its payload. */\n");
    out.push_str("export type EventMap = {\n");
    out.push_str(&events);
    out.push_str("};\n\nexport type EventName = keyof EventMap;\n\n");
    out.push_str(
        "/** The formats of Postman's API keys and access tokens, as Rust checks them. */\n",
    );
    out.push_str("export const SECRET_FORMATS: { apiKey: SecretFormatView; accessToken: SecretFormatView } = ");
    out.push_str(&format!(
        "{{ apiKey: {}, accessToken: {} }};\n",
        serde_json::to_string(&formats[0]).unwrap_or_default(),
        serde_json::to_string(&formats[1]).unwrap_or_default()
    ));
    out.push_str("/** The regions a monitor may run in (`distribution[].region`). */\n");
    out.push_str(&format!(
        "export const MONITOR_REGIONS: readonly string[] = {};\n",
        serde_json::to_string(&postdesk_monitors::REGIONS).unwrap_or_default()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_unique_and_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for n in COMMAND_NAMES {
            assert!(seen.insert(n), "{n} twice");
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{n}");
        }
        assert_eq!(camel("confirm_name"), "confirmName");
        assert_eq!(camel("force"), "force");
    }

    #[test]
    fn the_typescript_names_every_command_and_event() {
        let ts = typescript();
        for n in COMMAND_NAMES {
            assert!(ts.contains(&format!("  {n}: {{ args: ")), "{n}");
        }
        for e in EVENT_NAMES {
            assert!(ts.contains(&format!("'{e}': ")), "{e}");
        }
        assert!(ts.contains(
            "keys_set_expiry: { args: { id: string; expiresOn: string | null }; result: KeyView };"
        ));
        assert!(ts.contains("import type { KeyView } from './KeyView';"));
        assert!(ts.contains(r#""prefix":"PMAK-""#));
    }
}
