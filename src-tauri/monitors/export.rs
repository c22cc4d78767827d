//! A monitor's history as a file: CSV (one row per run, with a header) or JSON (an array of
//! runs, the fields as the UI names them). Times are UTC RFC 3339.

use crate::history::RunRecord;
use postdesk_base::clock::rfc3339;
use postdesk_base::files::{safe_file_stem, ExportFile, ExportFormat};

/// The export of a monitor's history: `<monitor name>-history.csv` or `.json`.
pub fn file(
    monitor_name: &str,
    runs: &[RunRecord],
    format: ExportFormat,
) -> Result<ExportFile, String> {
    ExportFile::csv_or_json(
        &format!("{}-history", safe_file_stem(monitor_name, "monitor")),
        format,
        || to_csv(runs),
        || to_json(runs),
    )
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 12] = [
    "jobId",
    "startedAt",
    "finishedAt",
    "status",
    "trigger",
    "assertionsTotal",
    "assertionsFailed",
    "requestsTotal",
    "requestsFailed",
    "errors",
    "latencyMs",
    "sizeBytes",
];

/// The runs as CSV (RFC 4180, through the `csv` crate: quotes and newlines in values are safe).
pub fn to_csv(runs: &[RunRecord]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in runs {
        w.write_record([
            r.job_id.clone(),
            rfc3339(r.started_at),
            opt(r.finished_at.map(rfc3339)),
            r.status.clone(),
            opt(r.trigger.clone()),
            r.assertions_total.to_string(),
            r.assertions_failed.to_string(),
            r.requests_total.to_string(),
            r.requests_failed.to_string(),
            r.errors.to_string(),
            opt(r.latency_ms.map(|l| l.to_string())),
            opt(r.size_bytes.map(|s| s.to_string())),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The runs as a JSON array.
pub fn to_json(runs: &[RunRecord]) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec_pretty(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(job: &str) -> RunRecord {
        RunRecord {
            monitor_id: "m".into(),
            job_id: job.into(),
            started_at: 0,
            finished_at: Some(1_500),
            status: "failed".into(),
            trigger: Some("scheduled".into()),
            assertions_total: 3,
            assertions_failed: 1,
            requests_total: 2,
            requests_failed: 0,
            errors: 0,
            latency_ms: Some(42),
            size_bytes: None,
            has_details: false,
        }
    }

    #[test]
    fn csv_has_a_header_and_one_quoted_row_per_run() {
        let text = String::from_utf8(to_csv(&[run("a,\"b\"")]).unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), CSV_COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "\"a,\"\"b\"\"\",1970-01-01T00:00:00.000Z,1970-01-01T00:00:01.500Z,failed,scheduled,3,1,2,0,0,42,"
        );
        assert!(lines.next().is_none());
    }

    #[test]
    fn json_is_the_runs_as_the_ui_names_them() {
        let v: serde_json::Value = serde_json::from_slice(&to_json(&[run("a")]).unwrap()).unwrap();
        assert_eq!(v[0]["jobId"], "a");
        assert_eq!(v[0]["assertionsFailed"], 1);
    }
}
