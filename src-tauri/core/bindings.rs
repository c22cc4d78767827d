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

/// A command's name is written by hand in one place in Rust: its declaration in
/// `core/commands.rs`. Its body in `core/usecases` is the function of that name (what the
/// generated `Commands` impl calls); no other production Rust file names it, outside comments.
#[cfg(test)]
mod one_declaration {
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                // Tests may call commands by name; the build output is generated.
                if name != "tests" && name != "target" && name != "gen" {
                    rust_files(&p, out);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" {
                out.push(p);
            }
        }
    }

    /// `word` as a whole identifier in `line`.
    fn names(line: &str, word: &str) -> usize {
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        line.match_indices(word)
            .filter(|(i, _)| {
                let before = line[..*i].chars().next_back();
                let after = line[i + word.len()..].chars().next();
                !before.is_some_and(ident) && !after.is_some_and(ident)
            })
            .count()
    }

    /// The file without comments and without its `#[cfg(test)]` module (tests may name commands).
    fn code(text: &str) -> Vec<String> {
        let text = text.split("#[cfg(test)]\nmod ").next().unwrap_or(text);
        text.lines()
            .map(|l| l.split("//").next().unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn every_command_name_is_written_once() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        let mut problems = Vec::new();
        for name in crate::COMMAND_NAMES {
            let mut declared = 0;
            let mut bodies = 0;
            for f in &files {
                let text = std::fs::read_to_string(f).unwrap();
                let rel = f
                    .strip_prefix(&root)
                    .unwrap_or(f)
                    .to_string_lossy()
                    .replace('\\', "/");
                for line in code(&text) {
                    let n = names(&line, name);
                    if n == 0 {
                        continue;
                    }
                    if rel == "core/commands.rs" {
                        declared += n;
                    } else if rel.starts_with("core/usecases/")
                        && line.contains(&format!("async fn {name}("))
                    {
                        bodies += n;
                    } else {
                        problems.push(format!("{name} written in {rel}: {}", line.trim()));
                    }
                }
            }
            if declared != 1 || bodies != 1 {
                problems.push(format!(
                    "{name}: declared {declared} times in core/commands.rs, {bodies} bodies in core/usecases"
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
