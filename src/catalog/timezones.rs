//! Time zones people can pick or type: Russia's eleven zones as buttons, city names, UTC
//! offsets ("UTC+7", "GMT-3", "+5") and IANA names ("Asia/Novosibirsk").

use std::collections::HashMap;

use chrono_tz::Tz;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    zone: Vec<ButtonZone>,
    #[serde(default)]
    extra: Vec<ExtraZone>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ButtonZone {
    zone: String,
    label_ru: String,
    label_en: String,
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraZone {
    zone: String,
    names: Vec<String>,
}

/// A zone offered as a button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneButton {
    pub zone: Tz,
    pub label_ru: String,
    pub label_en: String,
}

/// The loaded `dialogues/timezones.toml`.
#[derive(Debug, Clone)]
pub struct TimeZoneCatalog {
    buttons: Vec<ZoneButton>,
    by_name: HashMap<String, Tz>,
    extra_count: usize,
}

impl TimeZoneCatalog {
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let file: File = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        let mut buttons = Vec::new();
        let mut by_name = HashMap::new();
        let mut add_names = |zone: Tz, names: &[String], errors: &mut Vec<String>| {
            for n in names {
                let key = normalise(n);
                if key.is_empty() {
                    errors.push(format!("zone {zone}: an empty name"));
                } else if let Some(prev) = by_name.insert(key.clone(), zone) {
                    if prev != zone {
                        errors.push(format!("name {n:?} is given to both {prev} and {zone}"));
                    }
                }
            }
        };
        for z in &file.zone {
            match z.zone.parse::<Tz>() {
                Ok(tz) => {
                    if z.label_ru.trim().is_empty() || z.label_en.trim().is_empty() {
                        errors.push(format!("zone {tz}: a label is empty"));
                    }
                    add_names(tz, &z.names, &mut errors);
                    buttons.push(ZoneButton {
                        zone: tz,
                        label_ru: z.label_ru.clone(),
                        label_en: z.label_en.clone(),
                    });
                }
                Err(_) => errors.push(format!("{:?} is not an IANA time zone", z.zone)),
            }
        }
        for z in &file.extra {
            match z.zone.parse::<Tz>() {
                Ok(tz) => add_names(tz, &z.names, &mut errors),
                Err(_) => errors.push(format!("{:?} is not an IANA time zone", z.zone)),
            }
        }
        if buttons.is_empty() {
            errors.push("no [[zone]] entries".to_owned());
        }
        if errors.is_empty() {
            Ok(Self {
                buttons,
                by_name,
                extra_count: file.extra.len(),
            })
        } else {
            Err(errors)
        }
    }

    pub fn buttons(&self) -> &[ZoneButton] {
        &self.buttons
    }

    pub fn extra_count(&self) -> usize {
        self.extra_count
    }

    /// What a person typed, as a zone: a known city, an IANA name (any case), or a whole-hour
    /// UTC offset. `None` when nothing fits.
    pub fn understand(&self, input: &str) -> Option<Tz> {
        let key = normalise(input);
        if key.is_empty() || key.chars().count() > 64 {
            return None;
        }
        if let Some(tz) = self.by_name.get(&key) {
            return Some(*tz);
        }
        if let Ok(tz) = input.trim().parse::<Tz>() {
            return Some(tz);
        }
        if let Some(tz) = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(input.trim()))
        {
            return Some(*tz);
        }
        parse_offset(&key)
    }
}

fn normalise(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .replace('ё', "е")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "utc+7", "gmt -3", "+5", "мск+4" is not handled (ambiguous); whole hours -12..=+14 only,
/// as IANA's Etc/GMT zones (whose sign is inverted by POSIX convention).
fn parse_offset(key: &str) -> Option<Tz> {
    let rest = key
        .strip_prefix("utc")
        .or_else(|| key.strip_prefix("gmt"))
        .unwrap_or(key)
        .trim();
    if rest.is_empty() {
        return if key == "utc" || key == "gmt" {
            Some(Tz::UTC)
        } else {
            None
        };
    }
    let (sign, digits) = match rest.as_bytes()[0] {
        b'+' => (1, &rest[1..]),
        b'-' | 0xE2 => {
            // '-' or a typographic minus "−" (U+2212, starts with 0xE2)
            let d = rest.strip_prefix('-').or_else(|| rest.strip_prefix('−'))?;
            (-1, d)
        }
        _ => return None,
    };
    let digits = digits.trim();
    let digits = digits.strip_suffix(":00").unwrap_or(digits);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits.parse().ok()?;
    let offset = sign * hours;
    if !(-12..=14).contains(&offset) {
        return None;
    }
    if offset == 0 {
        return Some(Tz::UTC);
    }
    // Etc/GMT-7 is UTC+7.
    let name = if offset > 0 {
        format!("Etc/GMT-{offset}")
    } else {
        format!("Etc/GMT+{}", -offset)
    };
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> TimeZoneCatalog {
        TimeZoneCatalog::parse(include_str!("../../dialogues/timezones.toml")).expect("valid")
    }

    #[test]
    fn cities_in_either_language_and_case() {
        let c = catalog();
        assert_eq!(c.understand("Новосибирск"), Some(chrono_tz::Asia::Novosibirsk));
        assert_eq!(c.understand("  novosibirsk "), Some(chrono_tz::Asia::Novosibirsk));
        assert_eq!(c.understand("САНКТ-ПЕТЕРБУРГ"), Some(chrono_tz::Europe::Moscow));
        assert_eq!(c.understand("Berlin"), Some(chrono_tz::Europe::Berlin));
    }

    #[test]
    fn iana_names_any_case() {
        let c = catalog();
        assert_eq!(c.understand("Asia/Vladivostok"), Some(chrono_tz::Asia::Vladivostok));
        assert_eq!(c.understand("asia/vladivostok"), Some(chrono_tz::Asia::Vladivostok));
    }

    #[test]
    fn offsets_map_to_etc_zones_with_posix_sign() {
        let c = catalog();
        assert_eq!(c.understand("UTC+7"), Some(chrono_tz::Etc::GMTMinus7));
        assert_eq!(c.understand("gmt -3"), Some(chrono_tz::Etc::GMTPlus3));
        assert_eq!(c.understand("+5"), Some(chrono_tz::Etc::GMTMinus5));
        assert_eq!(c.understand("UTC+03:00"), Some(chrono_tz::Etc::GMTMinus3));
        assert_eq!(c.understand("UTC"), Some(Tz::UTC));
        assert_eq!(c.understand("UTC−2"), Some(chrono_tz::Etc::GMTPlus2));
    }

    #[test]
    fn nonsense_is_not_a_zone() {
        let c = catalog();
        for s in ["", "hello", "UTC+15", "+5:30", "UTC+", "12", &"x".repeat(5000)] {
            assert_eq!(c.understand(s), None, "{s:?}");
        }
    }

    #[test]
    fn bad_files_are_reported() {
        let errs = TimeZoneCatalog::parse(
            "[[zone]]\nzone = \"Mars/Base\"\nlabel_ru = \"a\"\nlabel_en = \"b\"\nnames = [\"x\"]\n",
        )
        .unwrap_err();
        assert!(errs[0].contains("Mars/Base"));
        assert!(TimeZoneCatalog::parse("nonsense = ").is_err());
    }
}
