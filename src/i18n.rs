//! Every word a user reads comes from the Fluent files under `locales/` (Russian first, English
//! too). The files are embedded in the binary; `proego check` can also validate them on disk.
//!
//! Use [`tr!`](crate::tr) with a literal key, so the locale-coverage test can find every key
//! the code uses.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// The languages the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Telegram's `language_code` ("ru", "en-GB", ...) to one of ours, or `default`.
    pub fn from_telegram(code: Option<&str>, default: Lang) -> Lang {
        let primary = code.and_then(|c| c.split(['-', '_']).next()).unwrap_or("");
        primary.to_ascii_lowercase().parse().unwrap_or(default)
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }
}

impl FromStr for Lang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "ru" => Ok(Lang::Ru),
            "en" => Ok(Lang::En),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The Fluent files of each language, embedded at build time. Every language has the same
/// file names; `check_dir` compares this list with what is on disk.
pub const FILES: &[(&str, &str, &str)] = &[
    ("ru", "main.ftl", include_str!("../locales/ru/main.ftl")),
    ("en", "main.ftl", include_str!("../locales/en/main.ftl")),
    ("ru", "domain.ftl", include_str!("../locales/ru/domain.ftl")),
    ("en", "domain.ftl", include_str!("../locales/en/domain.ftl")),
    ("ru", "onboarding.ftl", include_str!("../locales/ru/onboarding.ftl")),
    ("en", "onboarding.ftl", include_str!("../locales/en/onboarding.ftl")),
    ("ru", "intake.ftl", include_str!("../locales/ru/intake.ftl")),
    ("en", "intake.ftl", include_str!("../locales/en/intake.ftl")),
    ("ru", "payments.ftl", include_str!("../locales/ru/payments.ftl")),
    ("en", "payments.ftl", include_str!("../locales/en/payments.ftl")),
    ("ru", "sessions.ftl", include_str!("../locales/ru/sessions.ftl")),
    ("en", "sessions.ftl", include_str!("../locales/en/sessions.ftl")),
    ("ru", "calendar.ftl", include_str!("../locales/ru/calendar.ftl")),
    ("en", "calendar.ftl", include_str!("../locales/en/calendar.ftl")),
    ("ru", "programs.ftl", include_str!("../locales/ru/programs.ftl")),
    ("en", "programs.ftl", include_str!("../locales/en/programs.ftl")),
    ("ru", "catalog.ftl", include_str!("../locales/ru/catalog.ftl")),
    ("en", "catalog.ftl", include_str!("../locales/en/catalog.ftl")),
    ("ru", "booking.ftl", include_str!("../locales/ru/booking.ftl")),
    ("en", "booking.ftl", include_str!("../locales/en/booking.ftl")),
    ("ru", "receipts.ftl", include_str!("../locales/ru/receipts.ftl")),
    ("en", "receipts.ftl", include_str!("../locales/en/receipts.ftl")),
    ("ru", "packages.ftl", include_str!("../locales/ru/packages.ftl")),
    ("en", "packages.ftl", include_str!("../locales/en/packages.ftl")),
    ("ru", "admin_tools.ftl", include_str!("../locales/ru/admin_tools.ftl")),
    ("en", "admin_tools.ftl", include_str!("../locales/en/admin_tools.ftl")),
    ("ru", "profile.ftl", include_str!("../locales/ru/profile.ftl")),
    ("en", "profile.ftl", include_str!("../locales/en/profile.ftl")),
    ("ru", "enrolment.ftl", include_str!("../locales/ru/enrolment.ftl")),
    ("en", "enrolment.ftl", include_str!("../locales/en/enrolment.ftl")),
    ("ru", "enrolment2.ftl", include_str!("../locales/ru/enrolment2.ftl")),
    ("en", "enrolment2.ftl", include_str!("../locales/en/enrolment2.ftl")),
    ("ru", "admin_more.ftl", include_str!("../locales/ru/admin_more.ftl")),
    ("en", "admin_more.ftl", include_str!("../locales/en/admin_more.ftl")),
];

/// The loaded bundles, one per language.
pub struct Locales {
    ru: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    ru_keys: BTreeSet<String>,
    en_keys: BTreeSet<String>,
}

impl fmt::Debug for Locales {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Locales")
            .field("ru_keys", &self.ru_keys.len())
            .field("en_keys", &self.en_keys.len())
            .finish()
    }
}

impl Locales {
    /// The embedded files. Errors name the file and the problem.
    pub fn embedded() -> Result<Self, Vec<String>> {
        let files: Vec<(String, String, String)> = FILES
            .iter()
            .map(|(l, n, t)| (l.to_string(), n.to_string(), t.to_string()))
            .collect();
        Self::from_files(&files)
    }

    /// Loads and validates `dir/<lang>/*.ftl` from disk (for `proego check`).
    pub fn check_dir(dir: &Path) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let mut files = Vec::new();
        for lang in Lang::ALL {
            let ldir = dir.join(lang.code());
            let mut names = BTreeSet::new();
            match std::fs::read_dir(&ldir) {
                Ok(entries) => {
                    for e in entries.flatten() {
                        let name = e.file_name().to_string_lossy().to_string();
                        if !name.ends_with(".ftl") {
                            continue;
                        }
                        match std::fs::read_to_string(e.path()) {
                            Ok(text) => {
                                names.insert(name.clone());
                                files.push((lang.code().to_owned(), name, text));
                            }
                            Err(err) => errors.push(format!("{}: {err}", e.path().display())),
                        }
                    }
                }
                Err(err) => errors.push(format!("{}: {err}", ldir.display())),
            }
            let embedded: BTreeSet<String> = FILES
                .iter()
                .filter(|(l, _, _)| *l == lang.code())
                .map(|(_, n, _)| n.to_string())
                .collect();
            if names != embedded {
                errors.push(format!(
                    "locales/{}: files on disk {:?} differ from the files built into the binary {:?}",
                    lang.code(),
                    names,
                    embedded
                ));
            }
        }
        match Self::from_files(&files) {
            Ok(l) if errors.is_empty() => Ok(l),
            Ok(_) => Err(errors),
            Err(mut more) => {
                errors.append(&mut more);
                Err(errors)
            }
        }
    }

    fn from_files(files: &[(String, String, String)]) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let mut ru = new_bundle(Lang::Ru);
        let mut en = new_bundle(Lang::En);
        let mut ru_keys = BTreeSet::new();
        let mut en_keys = BTreeSet::new();
        for (lang, name, text) in files {
            let (bundle, keys) = match lang.as_str() {
                "ru" => (&mut ru, &mut ru_keys),
                "en" => (&mut en, &mut en_keys),
                other => {
                    errors.push(format!("locales/{other}: unknown language"));
                    continue;
                }
            };
            let resource = match FluentResource::try_new(text.clone()) {
                Ok(r) => r,
                Err((r, errs)) => {
                    for e in errs {
                        errors.push(format!("locales/{lang}/{name}: syntax error {e:?}"));
                    }
                    r
                }
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.insert(m.id.name.to_string());
                }
            }
            if let Err(errs) = bundle.add_resource(resource) {
                for e in errs {
                    errors.push(format!("locales/{lang}/{name}: {e:?}"));
                }
            }
        }
        for k in ru_keys.difference(&en_keys) {
            errors.push(format!("key {k} is in locales/ru but not in locales/en"));
        }
        for k in en_keys.difference(&ru_keys) {
            errors.push(format!("key {k} is in locales/en but not in locales/ru"));
        }
        // Every message must format without errors (a missing variable reference is caught
        // when the message is used with arguments; here: references to unknown messages).
        for (lang, bundle, keys) in [(Lang::Ru, &ru, &ru_keys), (Lang::En, &en, &en_keys)] {
            for k in keys {
                if let Some(msg) = bundle.get_message(k) {
                    if msg.value().is_none() {
                        errors.push(format!("locales/{lang}: message {k} has no value"));
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Self {
                ru,
                en,
                ru_keys,
                en_keys,
            })
        } else {
            Err(errors)
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    /// All message ids of a language.
    pub fn keys(&self, lang: Lang) -> &BTreeSet<String> {
        match lang {
            Lang::Ru => &self.ru_keys,
            Lang::En => &self.en_keys,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.ru_keys.contains(key) && self.en_keys.contains(key)
    }

    /// The text of `key` in `lang`, with arguments. A missing key (which the tests rule out)
    /// yields the key itself and a warning in the log, never a panic.
    pub fn text(&self, lang: Lang, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing locale key");
            return key.to_owned();
        };
        let mut errs = Vec::new();
        let out = bundle.format_pattern(pattern, args, &mut errs);
        if !errs.is_empty() {
            tracing::warn!(key, lang = lang.code(), errors = ?errs, "locale formatting problem");
        }
        out.into_owned()
    }
}

fn new_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = unic_langid::LanguageIdentifier::from_bytes(lang.code().as_bytes()).unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No U+2068/U+2069 isolation marks in Telegram messages.
    b.set_use_isolating(false);
    b
}

/// Builds Fluent arguments; numbers stay numbers (for plural forms), the rest is text.
pub fn arg_value<'a, T: IntoArg<'a>>(v: T) -> FluentValue<'a> {
    v.into_arg()
}

/// What may be passed as a Fluent argument.
pub trait IntoArg<'a> {
    fn into_arg(self) -> FluentValue<'a>;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl<'a> IntoArg<'a> for $t {
            fn into_arg(self) -> FluentValue<'a> {
                FluentValue::from(self)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, u8, i8, u16, i16);

impl<'a> IntoArg<'a> for &'a str {
    fn into_arg(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

impl<'a> IntoArg<'a> for String {
    fn into_arg(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

impl<'a> IntoArg<'a> for &'a String {
    fn into_arg(self) -> FluentValue<'a> {
        FluentValue::from(self.as_str())
    }
}

/// `tr!(locales, lang, "key")` or `tr!(locales, lang, "key", name = value, ...)`.
/// Keys are literals so that tests can find them in the source.
#[macro_export]
macro_rules! tr {
    ($loc:expr, $lang:expr, $key:literal) => {
        $loc.text($lang, $key, None)
    };
    ($loc:expr, $lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = ::fluent_bundle::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg_value($value)); )+
        $loc.text($lang, $key, Some(&args))
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_locales_load_and_have_the_same_keys() {
        let l = Locales::embedded().expect("locales are valid");
        assert_eq!(l.keys(Lang::Ru), l.keys(Lang::En));
        assert!(l.keys(Lang::Ru).len() > 10);
    }

    #[test]
    fn telegram_language_codes() {
        assert_eq!(Lang::from_telegram(Some("ru"), Lang::En), Lang::Ru);
        assert_eq!(Lang::from_telegram(Some("en-GB"), Lang::Ru), Lang::En);
        assert_eq!(Lang::from_telegram(Some("de"), Lang::En), Lang::En);
        assert_eq!(Lang::from_telegram(None, Lang::Ru), Lang::Ru);
    }

    #[test]
    fn russian_plural_forms() {
        let l = Locales::embedded().unwrap();
        let f = |n: i64| crate::tr!(l, Lang::Ru, "sessions-count", count = n);
        assert_eq!(f(1), "1 сессия");
        assert_eq!(f(2), "2 сессии");
        assert_eq!(f(5), "5 сессий");
        assert_eq!(f(11), "11 сессий");
        assert_eq!(f(21), "21 сессия");
        assert_eq!(f(22), "22 сессии");
        let e = |n: i64| crate::tr!(l, Lang::En, "sessions-count", count = n);
        assert_eq!(e(1), "1 session");
        assert_eq!(e(5), "5 sessions");
    }

    #[test]
    fn no_isolation_marks() {
        let l = Locales::embedded().unwrap();
        let s = crate::tr!(l, Lang::En, "sessions-count", count = 3);
        assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'));
    }

    #[test]
    fn broken_file_is_reported_with_its_name() {
        let files = vec![
            ("ru".to_string(), "main.ftl".to_string(), "a = b\nc = { $x".to_string()),
            ("en".to_string(), "main.ftl".to_string(), "a = b\n".to_string()),
        ];
        let errs = Locales::from_files(&files).unwrap_err();
        assert!(errs.iter().any(|e| e.contains("locales/ru/main.ftl")), "{errs:?}");
    }

    #[test]
    fn missing_key_in_one_language_is_reported() {
        let files = vec![
            (
                "ru".to_string(),
                "main.ftl".to_string(),
                "a = б\nonly-ru = x\n".to_string(),
            ),
            ("en".to_string(), "main.ftl".to_string(), "a = b\n".to_string()),
        ];
        let errs = Locales::from_files(&files).unwrap_err();
        assert!(errs.iter().any(|e| e.contains("only-ru")), "{errs:?}");
    }
}
