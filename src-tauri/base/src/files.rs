//! The one way Postdesk writes its files: atomically and for the user alone.
//!
//! [`write_atomic`] writes a temp file beside the target, fsyncs it, renames it over the target
//! and fsyncs the folder, so a crash at any moment leaves the old file or the new one, never
//! half of one. Every file is created owner-only (0600 on Unix) and [`private_dir`] makes folders
//! owner-only (0700): drafts hold environment secrets, and nothing in the data folder is anyone
//! else's business. [`write_new`] writes a file that must not replace another (exports).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Creates `dir` (and its parents) and makes it owner-only.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// From now on, files and folders this process (and what it starts: the webview's processes)
/// creates are owner-only, whatever call creates them (umask 077). Call it first thing in
/// `main`. Windows and macOS keep per-user data folders private by their own rules.
pub fn owner_only_from_now_on() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file mode creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Makes `dir` and every folder under it owner-only (0700) and every file 0600, without
/// following symbolic links; returns what was open to others before (nothing on platforms
/// without Unix modes).
pub fn make_private_tree(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut opened = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut todo = vec![dir.to_path_buf()];
        while let Some(path) = todo.pop() {
            let meta = std::fs::symlink_metadata(&path)?;
            let want = if meta.is_dir() {
                for entry in std::fs::read_dir(&path)? {
                    todo.push(entry?.path());
                }
                0o700
            } else if meta.is_file() {
                0o600
            } else {
                continue;
            };
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & want))?;
                opened.push(path);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(opened)
}

fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// A temp file name beside `path`, unique in this process (`.<name>.<pid>-<n>.tmp`).
fn temp_beside(path: &Path) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(dir) {
            // Best effort: some filesystems refuse fsync on folders.
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Replaces `path` with `bytes` atomically (temp file, fsync, rename, fsync of the folder); the
/// file is owner-only. On failure the previous file is left as it was and the temp file removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |f| f.write_all(bytes))
}

/// [`write_atomic`] for content that is written piece by piece (a big document serialised
/// straight into the file, without a copy in memory).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<&File>) -> io::Result<()>,
) -> io::Result<()> {
    let tmp = temp_beside(path);
    let result = (|| {
        let file = options().create_new(true).open(&tmp)?;
        {
            let mut w = io::BufWriter::new(&file);
            write(&mut w)?;
            w.flush()?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        sync_parent(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a new owner-only file at `path`; `Ok(false)` when one exists already (nothing is
/// replaced). The content is fsynced before it returns.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    let mut file = match options().create_new(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e),
    };
    let written = file.write_all(bytes).and_then(|_| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    sync_parent(path);
    Ok(true)
}

/// Appends `bytes` to `path`, creating it owner-only when missing (a log of lines).
pub fn append(path: &Path, bytes: &[u8]) -> io::Result<()> {
    options()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(bytes)
}

/// The format of an export the user asks for (the activity log, a monitor's history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Csv,
}

/// What an export made, before the user said where it goes (the OS save dialog suggests
/// `file_name` and filters on `extension`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// A safe file name: `Orders.postman_collection.json`.
    pub file_name: String,
    /// What the dialog's filter calls it: `Postman collection`.
    pub kind: &'static str,
    /// The extension the filter matches, without the dot: `json`.
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

impl ExportFile {
    /// `<stem>.csv` or `<stem>.json` (the dialog's filter says `CSV` or `JSON`), its bytes
    /// from `to_csv` or `to_json`, whichever `format` asks for (only that one runs); a writer's
    /// error comes back as its text.
    pub fn csv_or_json<C: std::fmt::Display, J: std::fmt::Display>(
        stem: &str,
        format: ExportFormat,
        to_csv: impl FnOnce() -> Result<Vec<u8>, C>,
        to_json: impl FnOnce() -> Result<Vec<u8>, J>,
    ) -> Result<ExportFile, String> {
        let (bytes, kind, extension) = match format {
            ExportFormat::Csv => (to_csv().map_err(|e| e.to_string())?, "CSV", "csv"),
            ExportFormat::Json => (to_json().map_err(|e| e.to_string())?, "JSON", "json"),
        };
        Ok(ExportFile {
            file_name: format!("{stem}.{extension}"),
            kind,
            extension,
            bytes,
        })
    }
}

/// A file name from a user-chosen name: no path separators, control or reserved characters,
/// no leading dots, at most 100 characters; `fallback` when nothing is left.
pub fn safe_file_stem(name: &str, fallback: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    out = out
        .trim()
        .trim_start_matches('.')
        .trim()
        .chars()
        .take(100)
        .collect();
    let reserved = ["CON", "PRN", "AUX", "NUL"];
    if out.is_empty() || reserved.contains(&out.to_ascii_uppercase().as_str()) {
        fallback.to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_is_named_and_filled_by_its_format() {
        let csv = || Ok::<_, String>(b"a,b".to_vec());
        let json = || Ok::<_, String>(b"[]".to_vec());
        let f = ExportFile::csv_or_json("m-calls", ExportFormat::Csv, csv, json).unwrap();
        assert_eq!(
            f,
            ExportFile {
                file_name: "m-calls.csv".into(),
                kind: "CSV",
                extension: "csv",
                bytes: b"a,b".to_vec(),
            }
        );
        let f = ExportFile::csv_or_json("m-calls", ExportFormat::Json, csv, json).unwrap();
        assert_eq!(
            (
                f.file_name.as_str(),
                f.kind,
                f.extension,
                f.bytes.as_slice()
            ),
            ("m-calls.json", "JSON", "json", &b"[]"[..])
        );
        let failed = ExportFile::csv_or_json(
            "x",
            ExportFormat::Json,
            || -> Result<Vec<u8>, String> { panic!("only the asked format is written") },
            || Err("bad value"),
        );
        assert_eq!(failed, Err("bad value".to_owned()));
    }

    #[test]
    fn file_names_are_safe() {
        assert_eq!(safe_file_stem("../../etc/passwd", "x"), "_.._etc_passwd");
        assert_eq!(safe_file_stem("  ", "x"), "x");
        assert_eq!(safe_file_stem("CON", "x"), "x");
        assert_eq!(safe_file_stem("a<script>b", "x"), "a_script_b");
        assert_eq!(safe_file_stem(&"é".repeat(300), "x").chars().count(), 100);
    }

    fn scratch(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("postdesk-base-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        private_dir(&d).unwrap();
        d
    }

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn a_tree_open_to_others_is_made_owner_only_without_following_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("tree");
        let set =
            |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
        let sub = dir.join("drafts");
        std::fs::create_dir(&sub).unwrap();
        let (a, b, c) = (
            dir.join("prefs.json"),
            sub.join("d.json"),
            dir.join("mine.json"),
        );
        for f in [&a, &b, &c] {
            std::fs::write(f, b"{}").unwrap();
        }
        set(&a, 0o644).unwrap();
        set(&b, 0o666).unwrap();
        set(&c, 0o600).unwrap();
        set(&sub, 0o755).unwrap();
        let outside = scratch("tree-outside").join("theirs");
        std::fs::write(&outside, b"x").unwrap();
        set(&outside, 0o644).unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("link")).unwrap();

        let mut opened = make_private_tree(&dir).unwrap();
        opened.sort();
        let mut want = vec![sub.clone(), a.clone(), b.clone()];
        want.sort();
        assert_eq!(opened, want);
        assert_eq!(
            (mode(&a), mode(&b), mode(&c), mode(&sub)),
            (0o600, 0o600, 0o600, 0o700)
        );
        assert_eq!(mode(&outside), 0o644, "a link is not followed");
        assert!(
            make_private_tree(&dir).unwrap().is_empty(),
            "nothing left to repair"
        );
    }

    #[test]
    fn atomic_writes_replace_the_file_leave_no_temp_and_are_owner_only() {
        let dir = scratch("atomic");
        let path = dir.join("keys.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["keys.json"], "no temp file is left");
        #[cfg(unix)]
        {
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir), 0o700);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_failed_write_keeps_the_previous_file() {
        let dir = scratch("failed");
        let path = dir.join("draft.json");
        write_atomic(&path, b"before").unwrap();
        let err = write_atomic_with(&path, |_| Err(io::Error::other("disk full"))).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(std::fs::read(&path).unwrap(), b"before");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn new_files_never_replace_others() {
        let dir = scratch("new");
        let path = dir.join("export.json");
        assert!(write_new(&path, b"first").unwrap());
        assert!(!write_new(&path, b"second").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
