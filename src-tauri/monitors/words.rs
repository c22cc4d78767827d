//! A monitor's schedule in words, as its list shows it: "every day at 09:00 Europe/Berlin",
//! "every 15 minutes", "every weekday at 06:00 UTC". A pattern with no plain words is shown
//! as itself ("cron 0 9 1-7 * MON, UTC").

const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const DAY_CODES: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

fn number(field: &str, max: u32) -> Option<u32> {
    field.parse().ok().filter(|n| *n <= max)
}

fn every(field: &str) -> Option<u32> {
    match field {
        "*" => Some(1),
        f => f
            .strip_prefix("*/")
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0),
    }
}

fn day(field: &str) -> Option<usize> {
    let f = field.to_ascii_uppercase();
    match f.parse::<usize>() {
        Ok(n) if n <= 7 => Some(n % 7),
        _ => DAY_CODES.iter().position(|d| *d == f),
    }
}

fn plural(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("every {unit}")
    } else {
        format!("every {n} {unit}s")
    }
}

/// The schedule `cron` in `timezone`, in words.
pub fn schedule_in_words(cron: &str, timezone: &str) -> String {
    let mut fields: Vec<&str> = cron.split_whitespace().collect();
    if fields.len() == 6 && fields[0] == "0" {
        fields.remove(0);
    }
    let literal = || format!("cron {cron}, {timezone}");
    let [minute, hour, dom, month, dow] = fields[..] else {
        return literal();
    };
    if dom != "*" && dom != "?" || month != "*" {
        if let (Some(d), "*", Some(m), Some(h), "*" | "?") = (
            number(dom, 31),
            month,
            number(minute, 59),
            number(hour, 23),
            dow,
        ) {
            return format!("on day {d} of every month at {h:02}:{m:02} {timezone}");
        }
        return literal();
    }
    let any_day = dow == "*" || dow == "?";
    match (
        every(minute),
        number(minute, 59),
        every(hour),
        number(hour, 23),
    ) {
        // */N * * * *
        (Some(n), _, Some(1), _) if any_day && (minute != "*" || n > 1) => plural(n, "minute"),
        // M * * * * and M */N * * *
        (_, Some(m), Some(n), _) if any_day => {
            let base = plural(n, "hour");
            if m == 0 {
                base
            } else {
                format!("{base} at minute {m}")
            }
        }
        // M H * * dow
        (_, Some(m), _, Some(h)) => {
            let at = format!("at {h:02}:{m:02} {timezone}");
            let upper = dow.to_ascii_uppercase();
            if any_day {
                format!("every day {at}")
            } else if upper == "MON-FRI" || upper == "1-5" {
                format!("every weekday {at}")
            } else if upper == "SAT,SUN" || upper == "SUN,SAT" || upper == "0,6" || upper == "6,0" {
                format!("every weekend day {at}")
            } else if let Some(d) = day(dow) {
                format!("every {} {at}", DAYS[d])
            } else {
                literal()
            }
        }
        _ => literal(),
    }
}

#[cfg(test)]
mod tests {
    use super::schedule_in_words as words;

    #[test]
    fn the_documented_patterns_read_as_words() {
        for (cron, want) in [
            ("*/5 * * * *", "every 5 minutes"),
            ("*/30 * * * *", "every 30 minutes"),
            ("0 */1 * * *", "every hour"),
            ("0 * * * *", "every hour"),
            ("15 * * * *", "every hour at minute 15"),
            ("0 */6 * * *", "every 6 hours"),
            ("0 17 * * *", "every day at 17:00 Europe/Berlin"),
            ("0 9 * * *", "every day at 09:00 Europe/Berlin"),
            ("0 12 * * MON", "every Monday at 12:00 Europe/Berlin"),
            ("0 6 * * MON-FRI", "every weekday at 06:00 Europe/Berlin"),
            (
                "30 8 1 * *",
                "on day 1 of every month at 08:30 Europe/Berlin",
            ),
            ("0 0 * * * *", "every hour"),
        ] {
            assert_eq!(words(cron, "Europe/Berlin"), want, "{cron}");
        }
    }

    #[test]
    fn what_has_no_plain_words_is_shown_as_it_is() {
        assert_eq!(words("0 9 1-7 * MON", "UTC"), "cron 0 9 1-7 * MON, UTC");
        assert_eq!(words("0 9 * 1 *", "UTC"), "cron 0 9 * 1 *, UTC");
        assert_eq!(words("nonsense", "UTC"), "cron nonsense, UTC");
        assert_eq!(words("0 9,17 * * *", "UTC"), "cron 0 9,17 * * *, UTC");
    }
}
