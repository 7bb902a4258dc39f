//! What the bot asks and offers, as data: the files under `dialogues/`, embedded in the
//! binary and validated at start-up and by `proego check`.

pub mod specializations;
pub mod timezones;

use std::path::Path;

pub use specializations::SpecializationCatalog;
pub use timezones::TimeZoneCatalog;

/// The data files, embedded at build time. `check_dir` compares them with the disk.
pub const FILES: &[(&str, &str)] = &[
    ("timezones.toml", include_str!("../../dialogues/timezones.toml")),
    (
        "specializations.toml",
        include_str!("../../dialogues/specializations.toml"),
    ),
];

/// Everything loaded from `dialogues/`.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub time_zones: TimeZoneCatalog,
    pub specializations: SpecializationCatalog,
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
        let time_zones = read("timezones.toml").map_err(|e| vec![e]).and_then(|t| {
            TimeZoneCatalog::parse(&t).map_err(|es| {
                es.into_iter()
                    .map(|e| format!("dialogues/timezones.toml: {e}"))
                    .collect()
            })
        });
        let time_zones = match time_zones {
            Ok(t) => Some(t),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        let specializations = read("specializations.toml").map_err(|e| vec![e]).and_then(|t| {
            SpecializationCatalog::parse(&t).map_err(|es| {
                es.into_iter()
                    .map(|e| format!("dialogues/specializations.toml: {e}"))
                    .collect()
            })
        });
        let specializations = match specializations {
            Ok(s) => Some(s),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        match (time_zones, specializations) {
            (Some(time_zones), Some(specializations)) if errors.is_empty() => Ok(Self {
                time_zones,
                specializations,
            }),
            _ => Err(errors),
        }
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
                "dialogues/specializations.toml: {} groups, {} items",
                self.specializations.groups().len(),
                self.specializations.item_count()
            ),
        ]
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
