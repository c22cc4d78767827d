//! How the webview draws, chosen before it exists.
//!
//! On Linux, WebKitGTK composites the page with OpenGL. Without a GPU (no DRM render node: a
//! virtual machine, a remote desktop, Xvfb) Mesa emulates that OpenGL on the CPU (llvmpipe), and
//! every frame pays for it: profiled on a 2-core machine under Xvfb (`perf record -a` while the
//! access-key table scrolls), llvmpipe's threads took 46 % of the CPU and the page's own code
//! 1 %; the table scrolled at 11 fps and a frame after start-up took ~200 ms. WebKit's
//! non-composited path paints with its CPU rasteriser directly: the same table scrolled at
//! 46 fps, and those start-up frames took 15–30 ms. So where no render node exists (or Mesa is
//! told to render in software), compositing is turned off, unless the user chose for themselves
//! (`WEBKIT_DISABLE_COMPOSITING_MODE` set, to anything). A machine with a GPU keeps WebKit's
//! default.

/// WebKitGTK's switch for its compositing mode (read when the web process starts).
pub const COMPOSITING_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// Whether to turn compositing off: the user has not set [`COMPOSITING_VAR`], and OpenGL would be
/// drawn in software (`LIBGL_ALWAYS_SOFTWARE` set to a true value, or no render node).
pub fn compositing_off(user_chose: bool, always_software: Option<&str>, render_node: bool) -> bool {
    let software = matches!(always_software.map(str::trim), Some(v) if !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
    !user_chose && (software || !render_node)
}

/// Applies the choice: call first thing in `main`, while the process has one thread (the
/// environment is read by the web process WebKit starts later). Returns whether compositing
/// was turned off by it.
pub fn prepare() -> bool {
    #[cfg(target_os = "linux")]
    {
        let render_node = std::fs::read_dir("/dev/dri")
            .map(|dir| {
                dir.flatten()
                    .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
            })
            .unwrap_or(false);
        let software = std::env::var("LIBGL_ALWAYS_SOFTWARE").ok();
        if compositing_off(
            std::env::var_os(COMPOSITING_VAR).is_some(),
            software.as_deref(),
            render_node,
        ) {
            std::env::set_var(COMPOSITING_VAR, "1");
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::compositing_off;

    #[test]
    fn off_only_where_opengl_would_be_software_and_the_user_did_not_choose() {
        // A GPU: WebKit's default.
        assert!(!compositing_off(false, None, true));
        // No render node, or Mesa told to render in software: off.
        assert!(compositing_off(false, None, false));
        assert!(compositing_off(false, Some("1"), true));
        assert!(compositing_off(false, Some("true"), true));
        // "0", "false" or empty do not ask for software.
        for v in ["0", "false", "FALSE", "", " "] {
            assert!(!compositing_off(false, Some(v), true), "{v:?}");
        }
        // The user's own setting, whichever way, is left alone.
        assert!(!compositing_off(true, None, false));
        assert!(!compositing_off(true, Some("1"), false));
    }
}
