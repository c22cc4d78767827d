//! Expiry reminders: on which days before the expiry date they are given, which fall due
//! today, and which were given already (each once).

use crate::{KeyMeta, Keys, KeysError, Reminder};

impl Keys {
    /// Gives reminders on these days before an expiry date (0 = the day itself) from now on.
    pub fn set_reminder_days(&self, days: &[i32]) {
        let mut d: Vec<i32> = days.to_vec();
        d.sort_unstable_by(|a, b| b.cmp(a));
        d.dedup();
        *self.reminder_days.lock().unwrap_or_else(|e| e.into_inner()) = d;
    }

    fn reminder_days(&self) -> Vec<i32> {
        self.reminder_days
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// [`Keys::mark_reminded`] once shown.
    pub fn due_reminders(&self) -> Vec<Reminder> {
        let today = self.today();
        let reminder_days = self.reminder_days();
        let file = self.lock();
        let mut keys: Vec<&KeyMeta> = file.keys.iter().collect();
        keys.sort_by_key(|k| k.added_at);
        keys.into_iter()
            .filter_map(|k| {
                let left = k.days_left(today)?;
                let days = reminder_days
                    .iter()
                    .copied()
                    .filter(|d| left <= i64::from(*d))
                    .min()?;
                if k.reminders_sent.contains(&days) {
                    return None;
                }
                Some(Reminder {
                    key_id: k.id.clone(),
                    name: k.name.clone(),
                    days,
                    days_left: left,
                    expires_on: k.expires_on.clone().unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Records that the `days`-before reminder (and the less urgent ones) was given.
    pub fn mark_reminded(&self, key_id: &str, days: i32) -> Result<(), KeysError> {
        let reminder_days = self.reminder_days();
        if !reminder_days.contains(&days) {
            let list: Vec<String> = reminder_days.iter().map(i32::to_string).collect();
            return Err(KeysError::Format(format!(
                "There is no {days}-day reminder (only {}).",
                list.join(", ")
            )));
        }
        self.update(key_id, |k| {
            for d in reminder_days.iter().copied().filter(|d| *d >= days) {
                if !k.reminders_sent.contains(&d) {
                    k.reminders_sent.push(d);
                }
            }
            k.reminders_sent.sort_unstable_by(|a, b| b.cmp(a));
        })
    }
}
