//! The recommendation weights (R-CLI-4) from `dialogues/recommendation.toml`: parsed into the
//! domain's `MatchWeights` and checked against the questionnaire (every request and budget
//! option) and the specialisation catalogue (every id it maps to).

use std::collections::BTreeSet;

use super::questionnaire::Questionnaire;
use super::specializations::SpecializationCatalog;
use crate::domain::matching::{Hours, MatchWeights};

/// The loaded weights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub weights: MatchWeights,
}

impl Recommendation {
    /// Parses the file and checks what it can alone (hours, caps).
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let weights: MatchWeights = toml::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        for (name, h) in [
            ("morning", weights.morning),
            ("afternoon", weights.afternoon),
            ("evening", weights.evening),
        ] {
            if !valid_hours(h) {
                errors.push(format!("{name}: hours must satisfy 0 <= from < to <= 24"));
            }
        }
        if weights.topic_max_matches == 0 {
            errors.push("topic_max_matches must be at least 1".to_owned());
        }
        if weights.min_score == 0 {
            errors.push("min_score must be at least 1 (0 would recommend anyone)".to_owned());
        }
        if weights.state_moderate_at_most > 10 {
            errors.push("state_moderate_at_most must be within the 0..10 scale".to_owned());
        }
        if errors.is_empty() {
            Ok(Self { weights })
        } else {
            Err(errors)
        }
    }

    /// Problems against the other files: every `request` option mapped (and nothing else),
    /// every mapped id a specialisation, every budget key a budget option.
    pub fn cross_check(&self, quiz: &Questionnaire, specs: &SpecializationCatalog) -> Vec<String> {
        let mut errors = Vec::new();
        let options = |id: &str| -> BTreeSet<String> {
            quiz.questions
                .iter()
                .find(|q| q.id == id)
                .map(|q| q.options.iter().cloned().collect())
                .unwrap_or_default()
        };
        let requests = options("request");
        let mapped: BTreeSet<String> = self.weights.requests.keys().cloned().collect();
        for missing in requests.difference(&mapped) {
            errors.push(format!(
                "requests: option {missing:?} of the questionnaire is not mapped"
            ));
        }
        for extra in mapped.difference(&requests) {
            errors.push(format!(
                "requests: {extra:?} is not an option of the questionnaire's request"
            ));
        }
        for (req, ids) in &self.weights.requests {
            for id in ids {
                if specs.item(id).is_none() {
                    errors.push(format!("requests.{req}: {id:?} is not a specialisation id"));
                }
            }
        }
        let budgets = options("budget");
        for key in self.weights.budget_rubles.keys() {
            if !budgets.contains(key) {
                errors.push(format!(
                    "budget_rubles: {key:?} is not an option of the questionnaire's budget"
                ));
            }
        }
        errors
    }

    /// The line for `proego check`.
    pub fn summary(&self) -> String {
        format!(
            "dialogues/recommendation.toml: {} request options mapped, {} budget bands, a match needs {} points",
            self.weights.requests.len(),
            self.weights.budget_rubles.len(),
            self.weights.min_score
        )
    }
}

fn valid_hours(h: Hours) -> bool {
    h.from < h.to && h.to <= 24
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> &'static str {
        include_str!("../../dialogues/recommendation.toml")
    }

    #[test]
    fn the_file_is_valid_against_the_other_files() {
        let r = Recommendation::parse(file()).unwrap();
        let quiz = Questionnaire::parse(include_str!("../../dialogues/questionnaire.toml")).unwrap();
        let specs = SpecializationCatalog::parse(include_str!("../../dialogues/specializations.toml")).unwrap();
        assert_eq!(r.cross_check(&quiz, &specs), Vec::<String>::new());
    }

    #[test]
    fn problems_are_named() {
        let bad = file()
            .replace("evening = { from = 18, to = 23 }", "evening = { from = 23, to = 18 }")
            .replace("min_score = 30", "min_score = 0")
            .replace("grief = [\"grief\"]", "grieff = [\"sorrow\"]")
            .replace("up_to_6000 = 6000", "up_to_9000 = 9000");
        let errors = Recommendation::parse(&bad).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        let ok_alone = bad
            .replace("evening = { from = 23, to = 18 }", "evening = { from = 18, to = 23 }")
            .replace("min_score = 0", "min_score = 30");
        let r = Recommendation::parse(&ok_alone).unwrap();
        let quiz = Questionnaire::parse(include_str!("../../dialogues/questionnaire.toml")).unwrap();
        let specs = SpecializationCatalog::parse(include_str!("../../dialogues/specializations.toml")).unwrap();
        let e = r.cross_check(&quiz, &specs);
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(e
            .iter()
            .any(|m| m.contains("\"grief\" of the questionnaire is not mapped")));
        assert!(e.iter().any(|m| m.contains("\"sorrow\" is not a specialisation id")));
        assert!(e.iter().any(|m| m.contains("\"up_to_9000\"")));
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(Recommendation::parse(&format!(
            "{}\nweight_of_moon = 3\n",
            file().replace("[budget_rubles]", "bogus = 1\n[budget_rubles]")
        ))
        .is_err());
    }
}
