//! The lists: workspaces, and the collections and environments of a workspace, each row marked
//! when an unsaved draft of it is kept.

#[cfg(test)]
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use postdesk_drafts::DraftKind;
use postman_client::{Client, CollectionList, Freshness};
use serde::Serialize;
use ts_rs::TS;

use crate::{Library, LibraryError};

/// A list and where it comes from (fetched at, or the refresh that failed and the copy shown).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Listed<T> {
    pub rows: Vec<T>,
    pub source: Freshness,
}

/// The last collection list as rows in the list's order (without their draft marks), kept with
/// the answer they were made from: the same answer shown again, from the client's cache, is
/// not read or sorted again (10,000 rows: ~4 ms of sorting, after the client's ~10 ms re-read).
#[derive(Debug, Default)]
pub(crate) struct SortedRows(Mutex<Option<Sorted>>);

/// An answer and its rows.
type Sorted = (Arc<CollectionList>, Arc<[CollectionRow]>);

impl SortedRows {
    fn of(&self, list: &Arc<CollectionList>) -> Arc<[CollectionRow]> {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((from, rows)) = kept.as_ref() {
            if Arc::ptr_eq(from, list) {
                return rows.clone();
            }
        }
        let mut rows = list
            .collections
            .iter()
            .map(|c| CollectionRow {
                uid: c.uid.clone().unwrap_or_else(|| c.id.0.clone()),
                name: c.name.clone(),
                owner: c.owner.as_ref().map(|o| o.0.clone()),
                updated_at: c.updated_at.clone(),
                has_draft: false,
            })
            .collect::<Vec<_>>();
        // Each name's collation key is made once (a comparison of two keys is a plain slice
        // comparison): lowercasing on every comparison was >half of a shuffled list's time.
        let mut keyed: Vec<(Vec<u64>, CollectionRow)> = rows
            .drain(..)
            .map(|r| (collation_key(&r.name), r))
            .collect();
        keyed.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.uid.cmp(&y.uid)));
        rows.extend(keyed.into_iter().map(|(_, r)| r));
        let rows: Arc<[CollectionRow]> = rows.into();
        *kept = Some((list.clone(), rows.clone()));
        rows
    }

    /// Forgets them (another account's list is not kept).
    pub(crate) fn clear(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// A workspace in the switcher.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    /// `personal`, `team`, `private`, `public`, `partner`.
    pub kind: Option<String>,
}

/// A row of the collection list: only what a row shows or is addressed by (the `id` is the `uid`
/// without its owner prefix). The IPC sends the rows as [`CollectionColumns`].
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionRow {
    pub uid: String,
    pub name: String,
    pub owner: Option<String>,
    pub updated_at: Option<String>,
    /// An unsaved draft of it is kept locally.
    pub has_draft: bool,
}

/// The collection list as the IPC sends it: one array per field instead of one object per row,
/// each owner named once. A list of 10,000 goes through the IPC on every visit: ~1.0 MB of JSON
/// instead of ~1.56 MB, with no key written 50,000 times for the page to read. Row `i` is
/// `uid[i]`, `name[i]`, `owners[owner[i]]`, `updatedAt[i]`, in the list's order (by name).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollectionColumns {
    pub uid: Vec<String>,
    pub name: Vec<String>,
    /// Every owner once, in the order the rows first name them.
    pub owners: Vec<String>,
    /// Row by row, its owner's index in `owners` (`null`: the answer named none).
    pub owner: Vec<Option<u32>>,
    pub updated_at: Vec<Option<String>>,
    /// The rows (indices, ascending) of which an unsaved draft is kept locally.
    pub drafted: Vec<u32>,
    pub source: Freshness,
}

impl From<Listed<CollectionRow>> for CollectionColumns {
    fn from(Listed { rows, source }: Listed<CollectionRow>) -> Self {
        let n = rows.len();
        let mut cols = CollectionColumns {
            uid: Vec::with_capacity(n),
            name: Vec::with_capacity(n),
            owners: Vec::new(),
            owner: Vec::with_capacity(n),
            updated_at: Vec::with_capacity(n),
            drafted: Vec::new(),
            source,
        };
        let mut owner_at: HashMap<String, u32> = HashMap::new();
        for (i, r) in rows.into_iter().enumerate() {
            let owner = r.owner.map(|o| {
                let next = owner_at.len() as u32;
                *owner_at.entry(o).or_insert_with_key(|o| {
                    cols.owners.push(o.clone());
                    next
                })
            });
            if r.has_draft {
                cols.drafted.push(i as u32);
            }
            cols.uid.push(r.uid);
            cols.name.push(r.name);
            cols.owner.push(owner);
            cols.updated_at.push(r.updated_at);
        }
        cols
    }
}

/// A row of the environment list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentRow {
    pub id: String,
    pub uid: Option<String>,
    pub name: String,
    pub owner: Option<String>,
    pub updated_at: Option<String>,
    pub has_draft: bool,
}

/// An unsaved draft, without its contents.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftInfo {
    pub kind: DraftKind,
    pub id: String,
    pub name: String,
    pub saved_at_ms: f64,
    pub base_updated_at: Option<String>,
}

/// The drafts kept locally (what comes back after a restart).
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftsOverview {
    pub drafts: Vec<DraftInfo>,
    /// One sentence per damaged draft file moved aside.
    pub set_aside: Vec<String>,
}

impl Library {
    /// Ids of the elements of `kind` with unsaved changes (stored drafts and dirty working
    /// copies), read once per list.
    pub(crate) fn drafted(&self, kind: DraftKind) -> Result<HashSet<String>, LibraryError> {
        let mut ids: HashSet<String> = self
            .drafts()?
            .drafts
            .into_iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.id)
            .collect();
        let slug = self.account().slug();
        ids.extend(
            self.lock()
                .iter()
                .filter(|((owner, k, _), w)| *owner == slug && *k == kind && w.dirty)
                .map(|((_, _, id), _)| id.clone()),
        );
        Ok(ids)
    }

    /// The drafts kept locally, without their contents (documents are skipped while read).
    pub fn drafts(&self) -> Result<DraftsOverview, LibraryError> {
        let (metas, set_aside) = self.store()?.list_meta()?;
        Ok(DraftsOverview {
            drafts: metas
                .into_iter()
                .map(|d| DraftInfo {
                    kind: d.kind,
                    id: d.id,
                    name: d.name,
                    saved_at_ms: d.saved_at_ms,
                    base_updated_at: d.base_updated_at,
                })
                .collect(),
            set_aside,
        })
    }

    /// Every workspace the key can see (1 call per 100, cached).
    pub async fn workspaces(
        &self,
        client: &Client,
        force: bool,
    ) -> Result<Listed<WorkspaceRow>, LibraryError> {
        let (list, source) = client.get_all_workspaces_dated(None, force).await?;
        let rows = list
            .into_iter()
            .map(|w| WorkspaceRow {
                id: w.id.0,
                name: w.name,
                kind: w.kind,
            })
            .collect();
        Ok(Listed { rows, source })
    }

    /// The collections of `workspace` (all the key can see when `None`).
    pub async fn collections(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Listed<CollectionRow>, LibraryError> {
        let q = postman_client::CollectionQuery {
            workspace: workspace.map(str::to_owned),
            ..Default::default()
        };
        let fetched = client.get_collections_shared(&q, force).await?;
        let source = fetched.freshness();
        let drafted = self.drafted(DraftKind::Collection)?;
        let rows = self
            .sorted_rows
            .of(&fetched.data)
            .iter()
            .map(|r| CollectionRow {
                has_draft: drafted.contains(&r.uid),
                ..r.clone()
            })
            .collect();
        Ok(Listed { rows, source })
    }

    /// The environments of `workspace` (all when `None`).
    pub async fn environments(
        &self,
        client: &Client,
        workspace: Option<&str>,
        force: bool,
    ) -> Result<Listed<EnvironmentRow>, LibraryError> {
        let fetched = client.get_environments(workspace, force).await?;
        let (source, list) = (fetched.freshness(), fetched.data);
        let drafted = self.drafted(DraftKind::Environment)?;
        let rows = list
            .into_iter()
            .map(|e| EnvironmentRow {
                has_draft: drafted.contains(&e.id.0),
                id: e.id.0,
                uid: e.uid,
                name: e.name,
                owner: e.owner.map(|o| o.0),
                updated_at: e.updated_at,
            })
            .collect();
        Ok(Listed { rows, source })
    }
}

/// The list's order as a key: two names compare as their keys do, exactly as [`by_name`]
/// orders them. Each character is one element, `class << 50 | lowercase << 25 | second
/// lowercase character` (only `İ` lowercases to two, none to three); a run of digits is one
/// element `2 << 50 | significant digits` followed by those digits, so runs of equal length
/// compare digit by digit and a digit run against a character is settled by the class alone.
fn collation_key(name: &str) -> Vec<u64> {
    let mut key = Vec::with_capacity(name.len());
    let mut chars = name.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let run = digit_run(&mut chars);
            key.push(2 << 50 | run.len() as u64);
            key.extend(run.bytes().map(u64::from));
            continue;
        }
        let mut lower = c.to_lowercase();
        let first = lower.next().map_or(0, u64::from);
        let second = lower.next().map_or(0, u64::from);
        debug_assert!(lower.next().is_none(), "no character lowercases to three");
        key.push(u64::from(class(c)) << 50 | first << 25 | second);
        chars.next();
    }
    key
}

/// The list's order: by name as the UI's collator orders names (`Intl.Collator` with base
/// sensitivity and numeric digits: case ignored, digit runs by value, spaces before punctuation
/// before digits before letters). The UI only checks that order (10,000 comparisons, not a
/// sort's ~140,000) and sorts again only where a name it cannot judge alike (accents, scripts)
/// puts the rows out of it. The rows are sorted by [`collation_key`], which orders as this does.
#[cfg(test)]
fn by_name(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        let (x, y) = match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => (x, y),
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (m, n) = (digit_run(&mut a), digit_run(&mut b));
            // By value: fewer significant digits is smaller, then digit by digit.
            let order = m.len().cmp(&n.len()).then_with(|| m.cmp(&n));
            if order != Ordering::Equal {
                return order;
            }
            continue;
        }
        let order = class(x)
            .cmp(&class(y))
            .then_with(|| x.to_lowercase().cmp(y.to_lowercase()));
        if order != Ordering::Equal {
            return order;
        }
        a.next();
        b.next();
    }
}

/// The digits from here on, without leading zeros.
fn digit_run(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut run = String::new();
    while let Some(c) = chars.next_if(char::is_ascii_digit) {
        if !(run.is_empty() && c == '0') {
            run.push(c);
        }
    }
    run
}

/// Spaces, then punctuation and symbols, then digits, then letters (the collator's groups).
fn class(c: char) -> u8 {
    if c.is_whitespace() {
        0
    } else if c.is_ascii_digit() {
        2
    } else if c.is_alphanumeric() {
        3
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::{by_name, collation_key, CollectionColumns, CollectionRow, Listed, SortedRows};
    use postman_client::{CollectionList, Freshness};
    use std::cmp::Ordering;
    use std::sync::Arc;

    fn list(names: &[&str]) -> Arc<CollectionList> {
        let collections: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| serde_json::json!({"id": format!("c{i}"), "name": n, "owner": "7", "uid": format!("7-c{i}")}))
            .collect();
        Arc::new(serde_json::from_value(serde_json::json!({ "collections": collections })).unwrap())
    }

    #[test]
    fn the_rows_of_one_answer_are_made_once_in_name_order() {
        let kept = SortedRows::default();
        let a = list(&["b", "Generated 10", "a", "Generated 2"]);
        let rows = kept.of(&a);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "Generated 2", "Generated 10"]);
        assert_eq!(
            (rows[0].uid.as_str(), rows[0].owner.as_deref()),
            ("7-c2", Some("7"))
        );
        assert!(Arc::ptr_eq(&rows, &kept.of(&a)), "the same answer again");
        // An equal answer fetched again is another answer: made afresh.
        let b = list(&["b", "Generated 10", "a", "Generated 2"]);
        let again = kept.of(&b);
        assert!(!Arc::ptr_eq(&rows, &again));
        assert_eq!(rows, again);
        kept.clear();
        assert!(!Arc::ptr_eq(&again, &kept.of(&b)));
    }

    #[test]
    fn the_columns_keep_every_row_in_order_and_name_each_owner_once() {
        let row = |uid: &str, owner: Option<&str>, at: Option<&str>, has_draft| CollectionRow {
            uid: uid.into(),
            name: format!("name of {uid}"),
            owner: owner.map(Into::into),
            updated_at: at.map(Into::into),
            has_draft,
        };
        let source = Freshness {
            fetched_at: 5.0,
            from_cache: true,
            failure: Some("offline".into()),
        };
        let cols = CollectionColumns::from(Listed {
            rows: vec![
                row("9-a", Some("9"), Some("2026-01-01T00:00:00.000Z"), false),
                row("4-b", Some("4"), None, true),
                row("x", None, None, false),
                row("9-c", Some("9"), Some("2026-02-01T00:00:00.000Z"), true),
            ],
            source: source.clone(),
        });
        assert_eq!(cols.uid, ["9-a", "4-b", "x", "9-c"]);
        assert_eq!(cols.name[3], "name of 9-c");
        assert_eq!(cols.owners, ["9", "4"]);
        assert_eq!(cols.owner, [Some(0), Some(1), None, Some(0)]);
        assert_eq!(cols.updated_at[1], None);
        assert_eq!(
            cols.updated_at[3].as_deref(),
            Some("2026-02-01T00:00:00.000Z")
        );
        assert_eq!(cols.drafted, [1, 3]);
        assert_eq!(cols.source, source);
        let json = serde_json::to_value(&cols).unwrap();
        assert_eq!(json["updatedAt"][0], "2026-01-01T00:00:00.000Z");
        assert_eq!(json["owner"][2], serde_json::Value::Null);
    }

    #[test]
    fn names_in_the_collators_order() {
        let mut names = vec![
            "b",
            "Generated 10",
            "a_b",
            "Generated 2",
            "10 things",
            "a b",
            "Apple",
            "_private",
            "2 things",
            "apple pie",
            "Zed",
        ];
        names.sort_by(|a, b| by_name(a, b));
        // As `Intl.Collator('en', { sensitivity: 'base', numeric: true })` sorts them.
        assert_eq!(
            names,
            [
                "_private",
                "2 things",
                "10 things",
                "a b",
                "a_b",
                "Apple",
                "apple pie",
                "b",
                "Generated 2",
                "Generated 10",
                "Zed",
            ]
        );
        assert_eq!(
            by_name("Apple", "apple"),
            Ordering::Equal,
            "case is ignored"
        );
        assert_eq!(by_name("Généré", "Généré"), Ordering::Equal);
    }

    #[test]
    fn the_collation_key_orders_exactly_as_the_comparison() {
        // Names drawn from characters where the two could part: case, digit runs with leading
        // zeros, each class, accents, `İ` (lowercases to two characters), `ß`, other scripts
        // and non-ASCII digits (letters to the collator's groups here).
        let alphabet: Vec<char> = "aAbZz09 0_-.!~ éÉİißẞΣσ٣日\u{0}\t".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let names: Vec<String> = (0..600)
            .map(|_| {
                let len = (next() % 7) as usize;
                (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .chain(
                [
                    "",
                    "0",
                    "00",
                    "007",
                    "7",
                    "70",
                    "a7b",
                    "a07b",
                    "a7",
                    "Generated 2",
                ]
                .map(String::from),
            )
            .collect();
        let keys: Vec<Vec<u64>> = names.iter().map(|n| collation_key(n)).collect();
        for (a, ka) in names.iter().zip(&keys) {
            for (b, kb) in names.iter().zip(&keys) {
                assert_eq!(ka.cmp(kb), by_name(a, b), "{a:?} against {b:?}");
            }
        }
    }
}
