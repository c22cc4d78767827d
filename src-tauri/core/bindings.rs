//! The TypeScript side of the contract, generated into `ui/src/bindings/`: a ts-rs file for
//! every type that crosses IPC, and `Commands.ts` (every command's arguments and result, every
//! event, the formats of Postman's secrets). The files are committed; `bindings_are_fresh` fails
//! when one is stale, missing or left over. Regenerate with
//! `POSTDESK_UPDATE_BINDINGS=1 cargo test -p postdesk-core bindings`.

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn ts_files(dir: &Path) -> BTreeMap<String, String> {
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
        crate::contract::export_types(&fresh).expect("export");
        std::fs::write(fresh.join("Commands.ts"), crate::contract::typescript()).unwrap();
        let (want, have) = (ts_files(&fresh), ts_files(&dir));
        let stale: Vec<&String> = want
            .keys()
            .chain(have.keys().filter(|n| !want.contains_key(*n)))
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
