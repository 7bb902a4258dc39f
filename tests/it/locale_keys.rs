//! Every locale key the code uses exists in both languages, and both languages have the same
//! keys (so no user ever sees a raw key).

use std::collections::BTreeSet;
use std::path::Path;

use proego::i18n::{Lang, Locales};

/// The first string literal inside each `tr!( ... )` call of a source text.
fn keys_used(src: &str) -> Vec<String> {
    let code: String = src
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut keys = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("tr!(") {
        let call = &rest[i + 4..];
        let macro_name_starts_here = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if !macro_name_starts_here {
            rest = call;
            continue;
        }
        let mut depth = 1;
        let mut end = call.len();
        for (j, c) in call.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &call[..end];
        if let Some(q) = body.find('"') {
            if let Some(len) = body[q + 1..].find('"') {
                keys.push(body[q + 1..q + 1 + len].to_owned());
            }
        }
        rest = &call[end.min(call.len())..];
    }
    keys
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_key_used_in_code_exists_in_both_locales() {
    let locales = Locales::embedded().expect("locales load");
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut used = BTreeSet::new();
    for f in &files {
        for k in keys_used(&std::fs::read_to_string(f).unwrap()) {
            used.insert((k, f.display().to_string()));
        }
    }
    assert!(used.len() > 20, "the scan found too few keys: {used:?}");
    let missing: Vec<_> = used
        .iter()
        .filter(|(k, _)| !(locales.keys(Lang::Ru).contains(k) && locales.keys(Lang::En).contains(k)))
        .collect();
    assert!(
        missing.is_empty(),
        "keys used in code but missing in a locale: {missing:?}"
    );
    assert_eq!(locales.keys(Lang::Ru), locales.keys(Lang::En));
}

#[test]
fn the_scanner_finds_keys_in_multi_line_calls() {
    let src = r#"// tr!(l, lang, "in-a-comment")
        let s = include_str!("file.txt");
        let a = tr!(l, lang, "one-key"); let b = crate::tr!(
        cx.l(),
        cx.lang(),
        "two-key",
        n = f(1, 2)
    );"#;
    assert_eq!(keys_used(src), vec!["one-key", "two-key"]);
}

#[test]
fn every_domain_key_exists_in_both_locales() {
    let locales = Locales::embedded().expect("locales load");
    assert!(!proego::domain::LOCALE_KEYS.is_empty());
    // Every variable the domain messages use (see the key() docs in src/domain), with numbers
    // that reach each plural form.
    for n in [1_u32, 2, 5, 21, 104] {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("floor", "2\u{a0}500\u{a0}₽");
        args.set("next_allowed_at", "01.03.2026 00:00");
        args.set("size", n);
        args.set("max", n);
        args.set("min", n);
        args.set("minutes", n);
        for lang in Lang::ALL {
            for &k in proego::domain::LOCALE_KEYS {
                assert!(
                    locales.keys(lang).contains(k),
                    "domain key {k} is missing in locales/{lang}"
                );
                let text = locales.text(lang, k, Some(&args));
                assert!(!text.trim().is_empty(), "{lang}/{k} is empty");
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{lang}/{k} has an unresolved reference: {text}"
                );
                assert!(text.contains(char::is_alphabetic), "{lang}/{k}: {text}");
            }
        }
    }
}
