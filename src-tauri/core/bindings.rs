//! TypeScript bindings for every type that crosses IPC, generated from the Rust types with ts-rs
//! into ui/src/bindings/. The files are committed; `bindings_are_fresh` fails when one is stale.
//! Regenerate with `POSTDESK_UPDATE_BINDINGS=1 cargo test -p postdesk-core bindings`.

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use ts_rs::{Config, TS};

    /// Exports `T` and every type it refers to into `dir`.
    fn export<T: TS + 'static>(dir: &std::path::Path) {
        T::export_all(&Config::new().with_out_dir(dir)).expect("export");
    }

    fn ts_files(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .map(|it| {
                it.filter_map(Result::ok)
                    .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        (name, std::fs::read_to_string(e.path()).unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn bindings_are_fresh() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings");
        let fresh = std::env::temp_dir().join(format!("postdesk-bindings-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&fresh);
        std::fs::create_dir_all(&fresh).unwrap();
        export::<crate::app::AppInfo>(&fresh);
        export::<postdesk_base::IpcError>(&fresh);
        export::<crate::sandbox_host::SandboxStatus>(&fresh);
        export::<postdesk_vault::KeychainStatus>(&fresh);
        export::<postdesk_engine::ActiveKey>(&fresh);
        export::<postdesk_engine::Meters>(&fresh);
        export::<postdesk_engine::ActivityRow>(&fresh);
        export::<postdesk_engine::ExportFormat>(&fresh);
        export::<postdesk_engine::UsageSummary>(&fresh);
        export::<postdesk_engine::Operation>(&fresh);
        export::<postdesk_engine::CallsOnDay>(&fresh);
        export::<postdesk_engine::EndpointCount>(&fresh);
        export::<postdesk_keys::KeyRegion>(&fresh);
        export::<postdesk_keys::KeyStatus>(&fresh);
        export::<postdesk_keys::KeyOwner>(&fresh);
        export::<postdesk_keys::KeyView>(&fresh);
        export::<postdesk_keys::AddKey>(&fresh);
        export::<postdesk_keys::Reminder>(&fresh);
        export::<postdesk_keys::Rotation>(&fresh);
        export::<postdesk_drafts::DraftKind>(&fresh);
        export::<postdesk_drafts::Draft>(&fresh);
        export::<postdesk_drafts::DraftListing>(&fresh);
        export::<postdesk_drafts::DraftError>(&fresh);
        export::<postdesk_drafts::TreeNode>(&fresh);
        export::<postdesk_drafts::SaveMethod>(&fresh);
        export::<postdesk_drafts::SaveProgress>(&fresh);
        export::<postdesk_drafts::SaveOutcome>(&fresh);
        export::<postdesk_library::WorkspaceRow>(&fresh);
        export::<postdesk_library::CollectionRow>(&fresh);
        export::<postdesk_library::EnvironmentRow>(&fresh);
        export::<postdesk_library::DraftInfo>(&fresh);
        export::<postdesk_library::DraftsOverview>(&fresh);
        export::<postdesk_library::CollectionView>(&fresh);
        export::<postdesk_library::RequestDetail>(&fresh);
        export::<postdesk_library::TextOutcome>(&fresh);
        export::<postdesk_library::EnvVarType>(&fresh);
        export::<postdesk_library::EnvVariable>(&fresh);
        export::<postdesk_library::EnvironmentView>(&fresh);
        export::<postdesk_library::Created>(&fresh);
        export::<postdesk_library::SaveProgressEvent>(&fresh);
        export::<postdesk_library::CollectionVariable>(&fresh);
        export::<postdesk_library::RequestHeader>(&fresh);
        export::<postdesk_library::CollectionEdit>(&fresh);
        export::<postdesk_sharing::AccessKeyStatus>(&fresh);
        export::<postdesk_sharing::AccessKeyRow>(&fresh);
        export::<postdesk_sharing::AccessKeyPageView>(&fresh);
        export::<postdesk_sharing::RevokeResult>(&fresh);
        export::<postdesk_sharing::RevokeProgress>(&fresh);
        export::<postdesk_sharing::ShareText>(&fresh);
        export::<postdesk_sharing::ShareTexts>(&fresh);
        export::<postdesk_sharing::ShareView>(&fresh);
        export::<postdesk_base::Code>(&fresh);
        let (want, have) = (ts_files(&fresh), ts_files(&dir));
        let stale: Vec<&String> = want
            .keys()
            .chain(have.keys())
            .filter(|n| want.get(*n) != have.get(*n))
            .collect();
        if !stale.is_empty() && std::env::var_os("POSTDESK_UPDATE_BINDINGS").is_some() {
            for name in have.keys().filter(|n| !want.contains_key(*n)) {
                std::fs::remove_file(dir.join(name)).unwrap();
            }
            for (name, text) in &want {
                std::fs::write(dir.join(name), text).unwrap();
            }
        } else {
            assert!(
                stale.is_empty(),
                "stale TypeScript bindings {stale:?}: run POSTDESK_UPDATE_BINDINGS=1 cargo test -p postdesk-core bindings"
            );
        }
        std::fs::remove_dir_all(&fresh).unwrap();
    }
}
