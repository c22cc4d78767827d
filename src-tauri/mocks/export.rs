//! A mock's kept call log as a file: CSV (one row per call, with a header) or JSON (an array of
//! calls with their headers and bodies). Times are UTC RFC 3339.

use crate::store::StoredCall;
use postdesk_base::clock::rfc3339;
use postdesk_base::files::{safe_file_stem, ExportFile, ExportFormat};
use serde_json::{json, Value};

/// `<mock name>-calls.csv` or `.json`.
pub fn file(
    mock_name: &str,
    calls: &[StoredCall],
    format: ExportFormat,
) -> Result<ExportFile, String> {
    ExportFile::csv_or_json(
        &format!("{}-calls", safe_file_stem(mock_name, "mock")),
        format,
        || to_csv(calls),
        || to_json(calls),
    )
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 7] = [
    "id",
    "servedAt",
    "method",
    "path",
    "status",
    "responseType",
    "responseName",
];

/// The calls as CSV (RFC 4180 through the `csv` crate: quotes and newlines in values are safe).
pub fn to_csv(calls: &[StoredCall]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for c in calls {
        let r = &c.row;
        w.write_record([
            r.id.clone(),
            rfc3339(r.served_at),
            r.method.clone(),
            r.path.clone(),
            r.status.map(|s| s.to_string()).unwrap_or_default(),
            r.response_type.clone().unwrap_or_default(),
            r.response_name.clone().unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The calls as a JSON array, each with its headers and bodies when they were read.
pub fn to_json(calls: &[StoredCall]) -> Result<Vec<u8>, serde_json::Error> {
    let all: Vec<Value> = calls
        .iter()
        .map(|c| {
            let r = &c.row;
            let mut v = json!({"id": r.id, "servedAt": rfc3339(r.served_at), "method": r.method,
                "path": r.path, "status": r.status, "responseType": r.response_type,
                "responseName": r.response_name});
            if let Some(d) = &c.details {
                v["request"] = json!({"headers": d.request_headers, "body": d.request_body});
                v["response"] = json!({"headers": d.response_headers, "body": d.response_body});
            }
            v
        })
        .collect();
    serde_json::to_vec_pretty(&all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::CallRow;

    #[test]
    fn csv_quotes_what_needs_it() {
        let calls = vec![StoredCall {
            row: CallRow {
                id: "m-1".into(),
                served_at: 0,
                method: "GET".into(),
                path: "/a?b=\"c\",d".into(),
                status: Some(200),
                response_type: Some("success".into()),
                response_name: Some("Line\nbreak".into()),
                has_details: false,
            },
            details: None,
        }];
        let text = String::from_utf8(to_csv(&calls).unwrap()).unwrap();
        assert!(text.starts_with("id,servedAt,method,path,status,responseType,responseName\n"));
        assert!(text.contains("\"/a?b=\"\"c\"\",d\""));
        assert!(text.contains("\"Line\nbreak\""));
        let json: Value = serde_json::from_slice(&to_json(&calls).unwrap()).unwrap();
        assert_eq!(json[0]["servedAt"], "1970-01-01T00:00:00.000Z");
    }
}
