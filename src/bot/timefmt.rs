//! Instants shown in the viewer's zone, with the zone named.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::i18n::Lang;

/// "14:05, 27.11.2026 (Asia/Novosibirsk)" in Russian, "27 Nov 2026, 14:05 (Asia/Novosibirsk)"
/// in English.
pub fn local_time(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    match lang {
        Lang::Ru => format!("{} ({})", local.format("%H:%M, %d.%m.%Y"), tz.name()),
        Lang::En => format!("{} ({})", local.format("%-d %b %Y, %H:%M"), tz.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_the_zone() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 7, 5, 0).unwrap();
        assert_eq!(
            local_time(at, chrono_tz::Asia::Novosibirsk, Lang::Ru),
            "14:05, 27.11.2026 (Asia/Novosibirsk)"
        );
        assert_eq!(
            local_time(at, chrono_tz::Europe::Moscow, Lang::En),
            "27 Nov 2026, 10:05 (Europe/Moscow)"
        );
    }
}
