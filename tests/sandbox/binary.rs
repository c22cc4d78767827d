//! The `postman-sandbox` binary: one JSON line on stdout (url, adminToken, keys), serves, stops
//! on SIGTERM.

#[path = "util/mod.rs"]
mod util;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn prints_one_json_line_then_serves_until_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_postman-sandbox"))
        .args(["--port", "0", "--seed", "42", "--no-limits"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().and_then(Result::ok);
        let _ = tx.send(first);
        // Anything else on stdout would be a contract violation.
        let rest: Vec<String> = lines.map_while(Result::ok).collect();
        let _ = tx.send(if rest.is_empty() {
            None
        } else {
            Some(rest.join("\n"))
        });
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("a line in time")
        .expect("a line");
    let v: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
    let url = v["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    let keys = v["keys"].as_object().unwrap();
    assert_eq!(keys.len(), 4);
    let k = keys["taylor-lee"].as_str().unwrap();
    assert!(k.starts_with("PMAK-"));
    // Same seed in-process → same keys.
    let sb = util::sandbox().await;
    assert_eq!(util::key(&sb, util::TAYLOR), k);
    sb.shutdown().await;

    let r = util::send(
        util::client()
            .get(format!("{url}/me"))
            .header("x-api-key", k),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["user"]["username"], "taylor-lee");

    // The admin token of this process, printed once: /_sandbox/* answers with it only.
    let token = v["adminToken"]
        .as_str()
        .expect("adminToken in the start line");
    assert_eq!(token.len(), 64, "32 random bytes in hex");
    let clock = |t: Option<&str>| {
        let mut rb = util::client().get(format!("{url}/_sandbox/clock"));
        if let Some(t) = t {
            rb = rb.header("x-sandbox-token", t);
        }
        util::send(rb)
    };
    assert_eq!(clock(Some(token)).await.status, 200);
    assert_eq!(clock(None).await.status, 401);
    let other = util::sandbox().await;
    assert_ne!(
        other.admin_token().expose(),
        token,
        "a new token every start"
    );
    other.shutdown().await;

    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(st.success());
    let t = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful exit: {status:?}");
            break;
        }
        if t.elapsed() > Duration::from_secs(15) {
            let _ = child.kill();
            panic!("did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let rest = rx
        .recv_timeout(Duration::from_secs(5))
        .expect("stdout closed");
    assert_eq!(rest, None, "exactly one line on stdout");
}

#[test]
fn help_lists_the_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_postman-sandbox"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for f in [
        "--port",
        "--seed",
        "--state",
        "--per-minute",
        "--window-secs",
        "--heavy-limit",
        "--heavy-window-secs",
        "--monthly",
        "--no-limits",
    ] {
        assert!(text.contains(f), "{f}");
    }
}
