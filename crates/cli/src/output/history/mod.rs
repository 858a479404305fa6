//! Renderings of history data (`diff`, `audit`, `metrics`), one file per command, and the
//! text helpers they share with `log`'s table.

pub mod audit;
pub mod diff;
pub mod metrics;

/// A JSON value as text for people: strings bare, lists joined, `(unset)` for null.
pub fn show(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "(unset)".to_owned(),
        Value::String(s) => super::printable(s).into_owned(),
        Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join(", "),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", show(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// `+10 work days`, `-1 work day`.
pub fn work_days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n:+} work day")
    } else {
        format!("{n:+} work days")
    }
}
