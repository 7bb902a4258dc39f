//! The specialisation catalogue (R-ONB-3): topics, modalities, client types and formats that a
//! therapist ticks, from `dialogues/specializations.toml`.

use std::collections::HashSet;

use serde::Deserialize;

use crate::i18n::Lang;

/// The groups, in page order; the file must have exactly these.
pub const GROUPS: [&str; 4] = ["topics", "modalities", "client_types", "formats"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    group: Vec<Group>,
}

/// One page of toggles.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label_ru: String,
    pub label_en: String,
    pub items: Vec<Item>,
}

/// One toggle.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub ru: String,
    pub en: String,
}

impl Group {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.label_ru,
            Lang::En => &self.label_en,
        }
    }
}

impl Item {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }
}

/// The loaded catalogue.
#[derive(Debug, Clone)]
pub struct SpecializationCatalog {
    groups: Vec<Group>,
}

impl SpecializationCatalog {
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let file: File = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        let ids: Vec<&str> = file.group.iter().map(|g| g.id.as_str()).collect();
        if ids != GROUPS {
            errors.push(format!("groups must be {GROUPS:?} in this order, found {ids:?}"));
        }
        let mut seen = HashSet::new();
        for g in &file.group {
            if g.items.is_empty() {
                errors.push(format!("group {}: no items", g.id));
            }
            for i in &g.items {
                let ok_id = !i.id.is_empty()
                    && i.id.len() <= 24
                    && i.id
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok_id {
                    errors.push(format!("item {:?}: id must be 1-24 of [a-z0-9_]", i.id));
                }
                if !seen.insert(i.id.clone()) {
                    errors.push(format!("item {:?}: id used twice", i.id));
                }
                for label in [&i.ru, &i.en] {
                    if label.trim().is_empty() || label.chars().count() > 40 {
                        errors.push(format!("item {:?}: labels must be 1-40 characters", i.id));
                    }
                }
            }
        }
        for required in ["psychodynamic", "existential", "cbt", "gestalt", "individual", "group"] {
            if !seen.contains(required) {
                errors.push(format!("item {required:?} is required (R-ONB-3, R-GRP-3)"));
            }
        }
        if errors.is_empty() {
            Ok(Self { groups: file.group })
        } else {
            Err(errors)
        }
    }

    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The group an item belongs to.
    pub fn group_of(&self, item_id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.items.iter().any(|i| i.id == item_id))
    }

    pub fn item(&self, item_id: &str) -> Option<&Item> {
        self.groups.iter().flat_map(|g| &g.items).find(|i| i.id == item_id)
    }

    /// How many of `ticked` fall in the group `group_id`.
    pub fn count_in(&self, group_id: &str, ticked: &[String]) -> u32 {
        let n = ticked
            .iter()
            .filter(|t| self.group_of(t).is_some_and(|g| g.id == group_id))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    pub fn item_count(&self) -> usize {
        self.groups.iter().map(|g| g.items.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_broken_catalogue() {
        let errs = SpecializationCatalog::parse(
            r#"[[group]]
id = "topics"
label_ru = "Т"
label_en = "T"
items = [{ id = "Bad Id", ru = "x", en = "x" }, { id = "a", ru = "", en = "y" }]"#,
        )
        .unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("groups must be"), "{all}");
        assert!(all.contains("Bad Id"), "{all}");
        assert!(all.contains("psychodynamic"), "{all}");
        assert!(all.contains("1-40"), "{all}");
    }
}
