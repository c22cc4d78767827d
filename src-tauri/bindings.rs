//! TypeScript bindings for every type that crosses IPC, generated from the Rust types with ts-rs
//! into ui/src/bindings/. The files are committed; `bindings_are_fresh` fails when one is stale.
//! Regenerate with `POSTDESK_UPDATE_BINDINGS=1 cargo test --lib bindings`.

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use ts_rs::{Config, TS};

    fn check<T: TS + 'static>(dir: &std::path::Path, stale: &mut Vec<String>) {
        let cfg = Config::new();
        let name = T::output_path().expect("exportable type");
        let fresh = T::export_to_string(&cfg).expect("export");
        let path = dir.join(&name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != fresh {
            if std::env::var_os("POSTDESK_UPDATE_BINDINGS").is_some() {
                std::fs::write(&path, fresh).expect("write binding");
            } else {
                stale.push(name.display().to_string());
            }
        }
    }

    #[test]
    fn bindings_are_fresh() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
        let mut stale = Vec::new();
        check::<crate::app::AppInfo>(&dir, &mut stale);
        check::<crate::error::IpcError>(&dir, &mut stale);
        check::<crate::builtin_sandbox::SandboxStatus>(&dir, &mut stale);
        check::<crate::vault::KeychainStatus>(&dir, &mut stale);
        check::<crate::engine::ActiveKey>(&dir, &mut stale);
        check::<crate::engine::Meters>(&dir, &mut stale);
        check::<crate::engine::ActivityRow>(&dir, &mut stale);
        check::<crate::engine::ExportFormat>(&dir, &mut stale);
        check::<crate::engine::UsageSummary>(&dir, &mut stale);
        check::<crate::engine::Operation>(&dir, &mut stale);
        check::<crate::engine::CallsOnDay>(&dir, &mut stale);
        check::<crate::engine::EndpointCount>(&dir, &mut stale);
        check::<crate::keys::KeyRegion>(&dir, &mut stale);
        check::<crate::keys::KeyStatus>(&dir, &mut stale);
        check::<crate::keys::KeyOwner>(&dir, &mut stale);
        check::<crate::keys::KeyView>(&dir, &mut stale);
        check::<crate::keys::AddKey>(&dir, &mut stale);
        check::<crate::keys::Reminder>(&dir, &mut stale);
        check::<crate::keys::Rotation>(&dir, &mut stale);
        check::<crate::drafts::DraftKind>(&dir, &mut stale);
        check::<crate::drafts::Draft>(&dir, &mut stale);
        check::<crate::drafts::DraftListing>(&dir, &mut stale);
        check::<crate::drafts::DraftError>(&dir, &mut stale);
        check::<crate::drafts::TreeNode>(&dir, &mut stale);
        check::<crate::drafts::SaveMethod>(&dir, &mut stale);
        check::<crate::drafts::SaveProgress>(&dir, &mut stale);
        check::<crate::drafts::SaveOutcome>(&dir, &mut stale);
        check::<crate::library::WorkspaceRow>(&dir, &mut stale);
        check::<crate::library::CollectionRow>(&dir, &mut stale);
        check::<crate::library::EnvironmentRow>(&dir, &mut stale);
        check::<crate::library::DraftInfo>(&dir, &mut stale);
        check::<crate::library::DraftsOverview>(&dir, &mut stale);
        check::<crate::library::CollectionView>(&dir, &mut stale);
        check::<crate::library::RequestDetail>(&dir, &mut stale);
        check::<crate::library::TextOutcome>(&dir, &mut stale);
        check::<crate::library::EnvVarType>(&dir, &mut stale);
        check::<crate::library::EnvVariable>(&dir, &mut stale);
        check::<crate::library::EnvironmentView>(&dir, &mut stale);
        check::<crate::library::Created>(&dir, &mut stale);
        check::<crate::library::SaveProgressEvent>(&dir, &mut stale);
        check::<crate::library::CollectionVariable>(&dir, &mut stale);
        check::<crate::library::RequestHeader>(&dir, &mut stale);
        check::<crate::library::CollectionEdit>(&dir, &mut stale);
        check::<crate::sharing::AccessKeyStatus>(&dir, &mut stale);
        check::<crate::sharing::AccessKeyRow>(&dir, &mut stale);
        check::<crate::sharing::AccessKeyPageView>(&dir, &mut stale);
        check::<crate::sharing::RevokeResult>(&dir, &mut stale);
        check::<crate::sharing::RevokeProgress>(&dir, &mut stale);
        check::<crate::sharing::ShareText>(&dir, &mut stale);
        check::<crate::sharing::ShareTexts>(&dir, &mut stale);
        check::<crate::sharing::ShareView>(&dir, &mut stale);
        assert!(
            stale.is_empty(),
            "stale TypeScript bindings {stale:?}: run POSTDESK_UPDATE_BINDINGS=1 cargo test --lib bindings"
        );
    }
}
