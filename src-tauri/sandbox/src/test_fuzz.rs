//! Test-only: a deterministic JSON fuzzer shared by the collections and environments tests.

use serde_json::{json, Map, Value};

/// Deterministic pseudo-random JSON built from the domain's vocabulary.
pub(crate) struct Fuzz(pub(crate) u64);

impl Fuzz {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub(crate) fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }

    pub(crate) fn value(&mut self, depth: u32) -> Value {
        const KEYS: [&str; 24] = [
            "collection",
            "info",
            "item",
            "name",
            "schema",
            "request",
            "response",
            "id",
            "uid",
            "_postman_id",
            "event",
            "events",
            "variable",
            "auth",
            "type",
            "apikey",
            "listen",
            "script",
            "exec",
            "environment",
            "values",
            "key",
            "value",
            "description",
        ];
        const STRS: [&str; 10] = [
            "",
            "x",
            "apikey",
            "test",
            "prerequest",
            "secret",
            "default",
            "/values/0",
            "/name",
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        ];
        let kind = if depth == 0 {
            self.next() % 4
        } else {
            self.next() % 7
        };
        match kind {
            0 => Value::Null,
            1 => Value::Bool(self.next().is_multiple_of(2)),
            2 => json!(self.next() % 5),
            3 => Value::String(self.pick(&STRS).to_owned()),
            4 | 5 => {
                let n = self.next() % 5;
                let mut m = Map::new();
                for _ in 0..n {
                    let k = self.pick(&KEYS).to_owned();
                    m.insert(k, self.value(depth - 1));
                }
                Value::Object(m)
            }
            _ => {
                let n = self.next() % 4;
                Value::Array((0..n).map(|_| self.value(depth - 1)).collect())
            }
        }
    }
}
