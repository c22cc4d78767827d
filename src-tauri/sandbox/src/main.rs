//! `postman-sandbox`: runs the sandbox until SIGINT/SIGTERM. Prints one JSON line first:
//! `{"url":"http://127.0.0.1:PORT","adminToken":"…","keys":{"<username>":"PMAK-…",…}}`
//! (`adminToken`: what `/_sandbox/*` needs as `X-Sandbox-Token`; a new one every start).

use clap::Parser;
use postman_sandbox::{start, Config, Limits};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(name = "postman-sandbox", about = "A faithful local Postman API")]
struct Args {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed for ids, keys and tokens.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Persist state in this file (loaded on start when it exists).
    #[arg(long = "state")]
    state: Option<PathBuf>,
    /// Requests per user per window.
    #[arg(long)]
    per_minute: Option<u64>,
    /// Per-user window, seconds.
    #[arg(long)]
    window_secs: Option<f64>,
    /// Requests per user per heavy window on GET /collections, GET /workspaces(/{id}).
    #[arg(long)]
    heavy_limit: Option<u64>,
    /// Heavy window, seconds.
    #[arg(long)]
    heavy_window_secs: Option<f64>,
    /// API calls per user per calendar month.
    #[arg(long)]
    monthly: Option<u64>,
    /// No practical limits (headers are still sent).
    #[arg(long)]
    no_limits: bool,
    /// How long async collection updates stay in progress, ms.
    #[arg(long, default_value_t = 500)]
    task_ms: u64,
}

/// A window length from seconds on the command line (1 ms ..= 400 days).
fn secs(v: f64) -> Duration {
    Duration::from_secs_f64(if v.is_finite() {
        v.clamp(0.001, 400.0 * 86_400.0)
    } else {
        60.0
    })
}

fn limits(a: &Args) -> Limits {
    let mut l = if a.no_limits {
        Limits::lifted()
    } else {
        Limits::default()
    };
    if let Some(v) = a.per_minute {
        l.per_minute = v;
    }
    if let Some(v) = a.window_secs {
        l.window = secs(v);
    }
    if let Some(v) = a.heavy_limit {
        l.heavy_limit = v;
    }
    if let Some(v) = a.heavy_window_secs {
        l.heavy_window = secs(v);
    }
    if let Some(v) = a.monthly {
        l.monthly = v;
    }
    l
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let config = Config {
        seed: args.seed,
        limits: limits(&args),
        state_file: args.state.clone(),
        port: args.port,
        task_duration: Duration::from_millis(args.task_ms),
        ..Config::default()
    };
    let sb = start(config).await?;
    let line = serde_json::json!({
        "url": sb.url(),
        "adminToken": sb.admin_token().expose(),
        "keys": sb.keys(),
    });
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}")?;
        out.flush()?;
    }
    wait_for_signal().await;
    sb.shutdown().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) {
        (Ok(mut i), Ok(mut t)) => {
            tokio::select! {
                _ = i.recv() => {}
                _ = t.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
