//! What the clipboard gets from Postdesk: share links and commands, which hold a token. They are
//! written marked sensitive (the host: clipboard managers and the OS history skip them where the
//! platform allows) and taken off the clipboard [`CLEAR_AFTER`] later if it still holds them;
//! a newer copy starts the time again, and whatever the user copied since is left alone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use postdesk_base::Secret;
use serde::Serialize;
use ts_rs::TS;

use crate::host::Desktop;

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(60);

/// What a copy did, for the view to say so.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Copied {
    /// The clipboard is emptied this many seconds from now unless something else was copied.
    pub clears_in_secs: u32,
    /// The platform has a way to keep it out of clipboard managers and the OS history.
    pub hidden_from_history: bool,
}

/// The copies of secrets in flight: only the newest one's clearing happens.
#[derive(Default)]
pub struct Clipboard {
    generation: Arc<AtomicU64>,
}

impl Clipboard {
    /// Writes `text` through `desktop`, then, after `after`, empties the clipboard if this was
    /// the last copy and the clipboard still holds it. Must run inside a tokio runtime.
    pub fn copy<D: Desktop + ?Sized + 'static>(
        &self,
        desktop: Arc<D>,
        text: Secret,
        after: Duration,
    ) -> Result<Copied, String> {
        desktop.write_clipboard(Secret::from(text.expose()))?;
        let mine = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = Arc::clone(&self.generation);
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            if generation.load(Ordering::SeqCst) == mine {
                if let Err(e) = desktop.clear_clipboard_if(&text) {
                    eprintln!("Postdesk: the clipboard could not be cleared ({e})");
                }
            }
        });
        Ok(Copied {
            clears_in_secs: after.as_secs() as u32,
            hidden_from_history: cfg!(any(target_os = "linux", windows, target_os = "macos")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Mutex;

    /// A clipboard in memory (unit test only: the desktop's is tested by hand and in E2E).
    #[derive(Default)]
    struct Board(Mutex<String>);

    impl Desktop for Board {
        fn open_url(&self, _: &str) -> Result<(), String> {
            Ok(())
        }
        fn write_clipboard(&self, text: Secret) -> Result<(), String> {
            *self.0.lock().unwrap() = text.expose().to_owned();
            Ok(())
        }
        fn clear_clipboard_if(&self, text: &Secret) -> Result<bool, String> {
            let mut now = self.0.lock().unwrap();
            let holds = *now == text.expose();
            if holds {
                now.clear();
            }
            Ok(holds)
        }
        fn export_dir(&self) -> Option<PathBuf> {
            None
        }
        fn choose_save_path<'a>(
            &'a self,
            _file: &'a postdesk_base::files::ExportFile,
            _folder: Option<PathBuf>,
        ) -> crate::host::HostFuture<'a, Option<PathBuf>> {
            Box::pin(async { None })
        }
        fn choose_open_path<'a>(
            &'a self,
            _kind: &'static str,
            _extension: &'static str,
            _folder: Option<PathBuf>,
        ) -> crate::host::HostFuture<'a, Option<PathBuf>> {
            Box::pin(async { None })
        }
    }

    fn held(b: &Board) -> String {
        b.0.lock().unwrap().clone()
    }

    #[tokio::test(start_paused = true)]
    async fn a_copied_secret_is_cleared_after_a_minute_unless_replaced() {
        let board = Arc::new(Board::default());
        let clip = Clipboard::default();
        let copied = clip
            .copy(Arc::clone(&board), Secret::from("link-1"), CLEAR_AFTER)
            .unwrap();
        assert_eq!(copied.clears_in_secs, 60);
        tokio::time::sleep(Duration::from_secs(59)).await;
        assert_eq!(held(&board), "link-1", "still there after 59 s");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(held(&board), "", "gone after 60 s");

        // Copied again after 30 s: the minute starts again.
        clip.copy(Arc::clone(&board), Secret::from("link-2"), CLEAR_AFTER)
            .unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
        clip.copy(Arc::clone(&board), Secret::from("link-2"), CLEAR_AFTER)
            .unwrap();
        tokio::time::sleep(Duration::from_secs(45)).await;
        assert_eq!(
            held(&board),
            "link-2",
            "75 s after the first copy, 45 after the second"
        );
        tokio::time::sleep(Duration::from_secs(16)).await;
        assert_eq!(held(&board), "");

        // Something else copied meanwhile is left alone.
        clip.copy(Arc::clone(&board), Secret::from("link-3"), CLEAR_AFTER)
            .unwrap();
        *board.0.lock().unwrap() = "the user's own text".into();
        tokio::time::sleep(Duration::from_secs(61)).await;
        assert_eq!(held(&board), "the user's own text");
    }
}
