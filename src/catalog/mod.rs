//! What the bot asks and offers, as data: the files under `dialogues/`, embedded in the
//! binary and validated at start-up and by `proego check`.

pub mod questionnaire;
pub mod recommendation;
pub mod specializations;
pub mod timezones;

use std::path::Path;

pub use questionnaire::Questionnaire;
pub use recommendation::Recommendation;
pub use specializations::SpecializationCatalog;
pub use timezones::TimeZoneCatalog;

/// The data files, embedded at build time. `check_dir` compares them with the disk.
pub const FILES: &[(&str, &str)] = &[
    ("timezones.toml", include_str!("../../dialogues/timezones.toml")),
    ("questionnaire.toml", include_str!("../../dialogues/questionnaire.toml")),
    (
        "specializations.toml",
        include_str!("../../dialogues/specializations.toml"),
    ),
    (
        "recommendation.toml",
        include_str!("../../dialogues/recommendation.toml"),
    ),
];

/// Everything loaded from `dialogues/`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub time_zones: TimeZoneCatalog,
    pub questionnaire: Questionnaire,
    pub specializations: SpecializationCatalog,
    pub recommendation: Recommendation,
}

impl Catalog {
    /// The embedded files.
    pub fn embedded() -> Result<Self, Vec<String>> {
        Self::from_sources(|name| {
            FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| format!("dialogues/{name}: not embedded"))
        })
    }

    /// The files on disk (for `proego check`), which must be the files built in.
    pub fn check_dir(dir: &Path) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if !FILES.iter().any(|(n, _)| *n == name) {
                    errors.push(format!("dialogues/{name}: not a file the bot knows"));
                }
            }
        }
        let loaded = Self::from_sources(|name| {
            std::fs::read_to_string(dir.join(name)).map_err(|e| format!("dialogues/{name}: {e}"))
        });
        match loaded {
            Ok(c) if errors.is_empty() => Ok(c),
            Ok(_) => Err(errors),
            Err(mut e) => {
                errors.append(&mut e);
                Err(errors)
            }
        }
    }

    fn from_sources(read: impl Fn(&str) -> Result<String, String>) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let time_zones = load(&read, "timezones.toml", TimeZoneCatalog::parse, &mut errors);
        let questionnaire = load(&read, "questionnaire.toml", Questionnaire::parse, &mut errors);
        let specializations = load(&read, "specializations.toml", SpecializationCatalog::parse, &mut errors);
        let recommendation = load(&read, "recommendation.toml", Recommendation::parse, &mut errors);
        if let (Some(q), Some(s), Some(r)) = (&questionnaire, &specializations, &recommendation) {
            errors.extend(
                r.cross_check(q, s)
                    .into_iter()
                    .map(|e| format!("dialogues/recommendation.toml: {e}")),
            );
        }
        match (time_zones, questionnaire, specializations, recommendation) {
            (Some(time_zones), Some(questionnaire), Some(specializations), Some(recommendation))
                if errors.is_empty() =>
            {
                Ok(Self {
                    time_zones,
                    questionnaire,
                    specializations,
                    recommendation,
                })
            }
            _ => Err(errors),
        }
    }

    /// Every locale key the data files need (checked against locales/ by `proego check` and
    /// the tests).
    pub fn locale_keys(&self) -> Vec<String> {
        self.questionnaire.locale_keys()
    }

    /// One line per file for `proego check`.
    pub fn summary(&self) -> Vec<String> {
        vec![
            format!(
                "dialogues/timezones.toml: {} zones with buttons, {} more by name",
                self.time_zones.buttons().len(),
                self.time_zones.extra_count()
            ),
            format!(
                "dialogues/questionnaire.toml: version {}, {} questions",
                self.questionnaire.version,
                self.questionnaire.questions.len()
            ),
            format!(
                "dialogues/specializations.toml: {} groups, {} items",
                self.specializations.groups().len(),
                self.specializations.item_count()
            ),
            self.recommendation.summary(),
        ]
    }
}

/// Reads and parses one data file, prefixing its problems with its name.
fn load<T>(
    read: &impl Fn(&str) -> Result<String, String>,
    name: &str,
    parse: impl Fn(&str) -> Result<T, Vec<String>>,
    errors: &mut Vec<String>,
) -> Option<T> {
    match read(name).map_err(|e| vec![e]).and_then(|t| parse(&t)) {
        Ok(v) => Some(v),
        Err(es) => {
            errors.extend(es.into_iter().map(|e| {
                if e.starts_with("dialogues/") {
                    e
                } else {
                    format!("dialogues/{name}: {e}")
                }
            }));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_is_valid() {
        let c = Catalog::embedded().expect("valid");
        assert_eq!(c.time_zones.buttons().len(), 11);
    }

    #[test]
    fn disk_matches_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
        Catalog::check_dir(&dir).expect("dialogues/ on disk is valid");
    }
}
