//! How errors cross IPC: every domain has one error type that implements [`DomainError`] — a
//! [`Code`] from its domain's closed set, and a message written for a person that never
//! contains a secret. [`IpcError`] `{code, message}` is the only error shape the webview sees.
//!
//! The codes of every domain are declared here, in one place, as one closed enum per domain
//! (GitButler's `but-error::Code` is the model): a domain's error can only answer a code that
//! exists, a domain that wraps another's error passes its code on unchanged, and the UI gets the
//! union of all of them as a TypeScript type (`ErrorCode`), so it can only match codes Rust
//! really produces. Add a variant only when something produces it.

use serde::Serialize;
use ts_rs::TS;

macro_rules! codes {
    ($(
        $(#[$dm:meta])*
        $domain:ident($enum:ident) {
            $( $(#[$vm:meta])* $variant:ident = $code:literal, )*
        }
    )*) => {
        $(
            $(#[$dm])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
            pub enum $enum {
                $( $(#[$vm])* #[serde(rename = $code)] $variant, )*
            }

            impl $enum {
                /// Every code of the domain.
                pub const ALL: &'static [$enum] = &[$( $enum::$variant ),*];

                /// The dotted code, e.g. `keys.format`.
                pub fn as_str(self) -> &'static str {
                    match self { $( $enum::$variant => $code, )* }
                }
            }

            impl From<$enum> for Code {
                fn from(c: $enum) -> Code {
                    Code::$domain(c)
                }
            }
        )*

        /// Every error code Postdesk produces: the union of the domains' closed sets. It crosses
        /// IPC as the dotted string (`"keys.format"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
        #[serde(untagged)]
        #[ts(rename = "ErrorCode")]
        pub enum Code {
            $( $domain($enum), )*
        }

        impl Code {
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$domain(c) => c.as_str(), )* }
            }

            /// Every code of every domain.
            pub fn all() -> Vec<Code> {
                let mut out = Vec::new();
                $( out.extend($enum::ALL.iter().map(|c| Code::from(*c))); )*
                out
            }

            /// The code with this dotted name, if Postdesk has it.
            pub fn parse(s: &str) -> Option<Code> {
                Code::all().into_iter().find(|c| c.as_str() == s)
            }
        }
    };
}

codes! {
    /// The Postman API answered with an error (`postman-client`).
    Api(ApiCode) {
        InvalidKey = "api.invalidKey",
        Forbidden = "api.forbidden",
        NotFound = "api.notFound",
        Conflict = "api.conflict",
        Validation = "api.validation",
        PayloadTooLarge = "api.payloadTooLarge",
        RateLimited = "api.rateLimited",
        QuotaExhausted = "api.quotaExhausted",
        Server = "api.server",
        BadResponse = "api.badResponse",
    }
    /// The Postman API could not be reached (`postman-client`).
    Net(NetCode) {
        Unreachable = "net.unreachable",
        Timeout = "net.timeout",
        /// The answer was larger than Postdesk reads.
        AnswerTooLarge = "net.answerTooLarge",
    }
    /// The client refused before sending anything (`postman-client`).
    Client(ClientCode) {
        InsecureUrl = "client.insecureUrl",
        InvalidSecret = "client.invalidSecret",
        MissingKey = "client.missingKey",
    }
    /// The app itself: its data folder, the OS services it uses.
    App(AppCode) {
        DataDirUnavailable = "app.dataDirUnavailable",
        /// The system browser could not be opened.
        OpenFailed = "app.openFailed",
        /// The clipboard could not be written.
        Clipboard = "app.clipboard",
        /// No folder to export to.
        NoExportFolder = "app.noExportFolder",
    }
    /// The built-in sandbox.
    Sandbox(SandboxCode) {
        StartFailed = "sandbox.startFailed",
        NotRunning = "sandbox.notRunning",
    }
    /// The OS keychain.
    Vault(VaultCode) {
        Unavailable = "vault.unavailable",
        Access = "vault.access",
        Missing = "vault.missing",
    }
    /// The user's API keys.
    Keys(KeysCode) {
        Format = "keys.format",
        Duplicate = "keys.duplicate",
        NotFound = "keys.notFound",
        WrongUser = "keys.wrongUser",
        Store = "keys.store",
    }
    /// The engine: the active client, the activity log.
    Engine(EngineCode) {
        NoActiveKey = "engine.noActiveKey",
        Setup = "engine.setup",
        ExportFailed = "engine.exportFailed",
    }
    /// Unsaved drafts and the save protocol.
    Drafts(DraftsCode) {
        Storage = "drafts.storage",
        NotFound = "drafts.notFound",
        Invalid = "drafts.invalid",
        Conflict = "drafts.conflict",
        TaskFailed = "drafts.taskFailed",
    }
    /// Collections and environments (lists, working copies, import/export).
    Library(LibraryCode) {
        /// The document is not open (any more): open it again.
        NotOpen = "library.notOpen",
        /// An edit (or a name) that cannot be applied; nothing changed.
        InvalidEdit = "library.invalidEdit",
        /// A file offered for import that is not what it should be.
        InvalidImport = "library.invalidImport",
        /// The typed name does not match: nothing was deleted.
        ConfirmMismatch = "library.confirmMismatch",
        /// The document is bigger than Postman accepts.
        TooLarge = "library.tooLarge",
        ExportFailed = "library.exportFailed",
        /// The document belongs to another account or backend than the active key's.
        OtherAccount = "library.otherAccount",
    }
    /// Collection access keys.
    Sharing(SharingCode) {
        BadToken = "sharing.badToken",
        Refused = "sharing.refused",
        NotListed = "sharing.notListed",
        NotKept = "sharing.notKept",
        Keychain = "sharing.keychain",
        Storage = "sharing.storage",
        /// Sandbox-only operations asked of a real Postman region.
        NotSandbox = "sharing.notSandbox",
    }
    /// Monitors and their run history.
    Monitors(MonitorsCode) {
        /// The run history database could not be opened, read or written.
        History = "monitors.history",
        /// A run started but its result did not arrive in time (it may still finish).
        RunPending = "monitors.runPending",
        /// A delete whose typed name is not the monitor's.
        NameMismatch = "monitors.nameMismatch",
        /// The history could not be written where the user chose.
        Export = "monitors.export",
    }
    /// Mock servers, their call logs and local mocks.
    Mocks(MocksCode) {
        /// The call-log database could not be opened, read or written.
        History = "mocks.history",
        /// A delete whose typed name is not the mock's.
        NameMismatch = "mocks.nameMismatch",
        /// The call log could not be written where the user chose.
        Export = "mocks.export",
        /// A local mock could not start (the port is taken, or not allowed).
        LocalStart = "mocks.localStart",
        /// No local mock runs with that id (it was stopped).
        LocalNotRunning = "mocks.localNotRunning",
        /// The mock's URL is not one the API key may be sent to.
        UntrustedUrl = "mocks.untrustedUrl",
        /// Options only the built-in sandbox takes (delay, matching) asked of Postman's API.
        OptionsNotSettable = "mocks.optionsNotSettable",
    }
    /// The app's own updates (looking for a newer version, downloading, installing it).
    Update(UpdateCode) {
        /// An update address that is not https (loopback http only in debug builds), or none.
        InsecureEndpoint = "update.insecureEndpoint",
        /// The update server could not be reached, or answered with an error status.
        Unreachable = "update.unreachable",
        /// The update server did not answer in time.
        Timeout = "update.timeout",
        /// The update server's answer is not an update description Postdesk can read.
        BadAnswer = "update.badAnswer",
        DownloadFailed = "update.downloadFailed",
        /// The download's signature does not match the app's public key: nothing installed.
        BadSignature = "update.badSignature",
        InstallFailed = "update.installFailed",
        /// This copy was not installed from a package: it cannot replace itself.
        NotInstallable = "update.notInstallable",
        /// There is nothing newer to install.
        UpToDate = "update.upToDate",
    }
    /// Preferences.
    Prefs(PrefsCode) {
        Storage = "prefs.storage",
        Invalid = "prefs.invalid",
    }
    /// The IPC bridge itself (the UI makes this one when an invoke fails without an answer).
    Ipc(IpcCode) {
        Failed = "ipc.failed",
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Implemented by each domain's error enum.
pub trait DomainError: std::error::Error {
    fn code(&self) -> Code;
}

/// The only error shape the webview ever sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: Code,
    pub message: String,
}

impl<E: DomainError> From<E> for IpcError {
    fn from(err: E) -> Self {
        IpcError {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum Sample {
        #[error("That key is no longer in Postdesk.")]
        Missing,
    }

    impl DomainError for Sample {
        fn code(&self) -> Code {
            KeysCode::NotFound.into()
        }
    }

    #[test]
    fn domain_errors_cross_ipc_as_code_and_message() {
        let ipc = IpcError::from(Sample::Missing);
        let json = serde_json::to_value(&ipc).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "keys.notFound", "message": "That key is no longer in Postdesk."})
        );
        assert_eq!(
            ipc.to_string(),
            "keys.notFound: That key is no longer in Postdesk."
        );
    }

    #[test]
    fn codes_are_unique_dotted_and_found_again() {
        let all = Code::all();
        let mut seen = std::collections::HashSet::new();
        for c in &all {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            let (domain, name) = s.split_once('.').expect("dotted");
            assert!(domain.chars().all(|c| c.is_ascii_lowercase()), "{s}");
            assert!(
                name.chars().next().is_some_and(|c| c.is_ascii_lowercase()),
                "{s}"
            );
            assert_eq!(Code::parse(s), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(s));
        }
        assert!(all.len() > 40);
        assert_eq!(Code::parse("library.invented"), None);
    }
}
