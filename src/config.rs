//! Typed configuration from the environment (and an optional `.env` file), validated once.
//!
//! Every problem is collected, so that a wrong start names them all at once
//! (see `ConfigErrors`); the binary prints them and exits with status 2.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;

use chrono_tz::Tz;
use secrecy::SecretString;
use url::Url;

use crate::i18n::Lang;

/// Which payment provider takes the money (issue 7 fills in the providers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentProviderKind {
    Sandbox,
    YooKassa,
}

/// Where the application keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.starts_with("sqlite:") {
            Ok(Self::Sqlite(raw.to_owned()))
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            Ok(Self::Postgres(raw.to_owned()))
        } else {
            Err("DATABASE_URL must start with sqlite: or postgres://".to_owned())
        }
    }

    /// The URL without a password, for logs and `proego check`.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(s) => s.clone(),
            Self::Postgres(s) => match Url::parse(s) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("***"));
                    }
                    u.to_string()
                }
                Err(_) => "postgres://(unparsable)".to_owned(),
            },
        }
    }
}

/// Settings needed by every command (`run`, `migrate`, `check`).
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub redis_url: Option<String>,
    pub http_addr: SocketAddr,
    pub public_url: Url,
    pub webhook_url: Option<Url>,
    pub default_locale: Lang,
    pub default_tz: Tz,
    pub payment_provider: PaymentProviderKind,
    /// R-PAY-1: the package sizes offered (`PACKAGE_SIZES=4,8`, the default).
    pub package_sizes: Vec<u32>,
    pub yookassa_shop_id: Option<String>,
    pub yookassa_secret_key: Option<SecretString>,
    /// YooKassa's API base (tests point it at a local fake).
    pub yookassa_api_url: String,
    /// Where YooKassa's notifications may come from.
    pub yookassa_notify_from: Vec<ipnet::IpNet>,
    pub log_json: bool,
    /// R-ONB-7: `DATA_KEY` (base64 of 32 bytes) that seals payout details; unset: a key file.
    pub data_key: Option<crate::crypto::DataKey>,
    /// Present when the command talks to Telegram (`run`).
    pub telegram: Option<TelegramConfig>,
}

/// What `proego run` needs to talk to Telegram.
#[derive(Debug, Clone)]
pub struct TelegramConfig {
    pub token: SecretString,
    pub api_url: Option<Url>,
    pub admin_chat_id: i64,
    pub admin_ids: Vec<u64>,
}

/// All the problems found in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<String>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "configuration is not valid ({} problem(s)):", self.0.len())?;
        for p in &self.0 {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Which variables a command requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// `run`: Telegram settings are required.
    Telegram,
    /// `migrate`, `check`: Telegram settings are validated only when present.
    Storage,
}

/// "4,8" -> [4, 8]: distinct sizes from 1 to 100, in the order given.
fn parse_package_sizes(raw: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    for part in raw.split(',') {
        let n: u32 = part.trim().parse().ok()?;
        if !(1..=100).contains(&n) {
            return None;
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    (!out.is_empty()).then_some(out)
}

impl Config {
    /// The domain settings with what the configuration sets (package sizes).
    #[must_use]
    pub fn domain_settings(&self) -> crate::domain::DomainSettings {
        crate::domain::DomainSettings {
            package_sizes: self.package_sizes.clone(),
            ..crate::domain::DomainSettings::default()
        }
    }

    /// Reads the process environment (after loading `.env` if present).
    pub fn from_env(needs: Needs) -> Result<Self, ConfigErrors> {
        load_dotenv(".env");
        let vars: HashMap<String, String> = std::env::vars().collect();
        Self::from_map(&vars, needs)
    }

    /// Validates a set of variables; every problem is reported.
    pub fn from_map(vars: &HashMap<String, String>, needs: Needs) -> Result<Self, ConfigErrors> {
        let mut errors = Vec::new();
        let get = |k: &str| vars.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());

        let database_url = match DatabaseUrl::parse(get("DATABASE_URL").unwrap_or("sqlite://proego.db")) {
            Ok(u) => Some(u),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let redis_url = get("REDIS_URL").map(str::to_owned);
        if let Some(r) = &redis_url {
            if !(r.starts_with("redis://") || r.starts_with("rediss://")) {
                errors.push("REDIS_URL must start with redis:// or rediss://".to_owned());
            }
        }
        let http_addr = match get("HTTP_ADDR").unwrap_or("127.0.0.1:8080").parse::<SocketAddr>() {
            Ok(a) => Some(a),
            Err(_) => {
                errors.push("HTTP_ADDR must be host:port, e.g. 127.0.0.1:8080".to_owned());
                None
            }
        };
        let public_url = match get("PUBLIC_URL") {
            Some(raw) => match parse_http_url(raw) {
                Ok(u) => Some(u),
                Err(()) => {
                    errors.push("PUBLIC_URL must be an http(s) URL".to_owned());
                    None
                }
            },
            None => http_addr.and_then(|a| Url::parse(&format!("http://{a}")).ok()),
        };
        let webhook_url = match get("WEBHOOK_URL") {
            Some(raw) => match parse_http_url(raw) {
                Ok(u) if u.scheme() == "https" || cfg!(debug_assertions) || u.host_str() == Some("127.0.0.1") => {
                    Some(u)
                }
                Ok(_) => {
                    errors.push(
                        "WEBHOOK_URL must be an https URL (Telegram calls only https; http only on localhost)"
                            .to_owned(),
                    );
                    None
                }
                Err(()) => {
                    errors.push("WEBHOOK_URL must be an https URL".to_owned());
                    None
                }
            },
            None => None,
        };
        let default_locale = match get("DEFAULT_LOCALE").unwrap_or("ru").parse::<Lang>() {
            Ok(l) => Some(l),
            Err(()) => {
                errors.push("DEFAULT_LOCALE must be ru or en".to_owned());
                None
            }
        };
        let default_tz = match get("DEFAULT_TZ").unwrap_or("Europe/Moscow").parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                errors.push("DEFAULT_TZ must be an IANA time zone such as Europe/Moscow".to_owned());
                None
            }
        };
        let payment_provider = match get("PAYMENT_PROVIDER").unwrap_or("sandbox") {
            "sandbox" => Some(PaymentProviderKind::Sandbox),
            "yookassa" => Some(PaymentProviderKind::YooKassa),
            _ => {
                errors.push("PAYMENT_PROVIDER must be sandbox or yookassa".to_owned());
                None
            }
        };
        let yookassa_shop_id = get("YOOKASSA_SHOP_ID").map(str::to_owned);
        let yookassa_secret_key = get("YOOKASSA_SECRET_KEY").map(|s| SecretString::from(s.to_owned()));
        if payment_provider == Some(PaymentProviderKind::YooKassa) {
            if yookassa_shop_id.is_none() {
                errors.push("YOOKASSA_SHOP_ID is required when PAYMENT_PROVIDER=yookassa".to_owned());
            }
            if yookassa_secret_key.is_none() {
                errors.push("YOOKASSA_SECRET_KEY is required when PAYMENT_PROVIDER=yookassa".to_owned());
            }
        }
        let yookassa_api_url = get("YOOKASSA_API_URL")
            .unwrap_or("https://api.yookassa.ru/v3")
            .to_owned();
        if parse_http_url(&yookassa_api_url).is_err() {
            errors.push("YOOKASSA_API_URL must be an http(s) URL".to_owned());
        }
        let yookassa_notify_from = match crate::http::payments::parse_ranges(
            get("YOOKASSA_NOTIFY_IPS").unwrap_or(crate::http::payments::YOOKASSA_NOTIFY_RANGES),
        ) {
            Ok(r) => r,
            Err(e) => {
                errors.push(format!("YOOKASSA_NOTIFY_IPS: {e}"));
                Vec::new()
            }
        };
        let log_json = matches!(get("LOG_FORMAT"), Some("json"));
        if let Some(f) = get("LOG_FORMAT") {
            if f != "json" && f != "text" {
                errors.push("LOG_FORMAT must be text or json".to_owned());
            }
        }

        let data_key = get("DATA_KEY").and_then(|k| match crate::crypto::DataKey::from_base64(k) {
            Ok(k) => Some(k),
            Err(e) => {
                errors.push(e);
                None
            }
        });

        let package_sizes = match parse_package_sizes(get("PACKAGE_SIZES").unwrap_or("4,8")) {
            Some(v) => v,
            None => {
                errors
                    .push("PACKAGE_SIZES must be a comma-separated list of numbers from 1 to 100, e.g. 4,8".to_owned());
                Vec::new()
            }
        };

        let telegram = Self::telegram_from_map(&get, needs, &mut errors);

        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        // Every None above pushed an error, so these are present here.
        match (
            database_url,
            http_addr,
            public_url,
            default_locale,
            default_tz,
            payment_provider,
        ) {
            (
                Some(database_url),
                Some(http_addr),
                Some(public_url),
                Some(default_locale),
                Some(default_tz),
                Some(payment_provider),
            ) => Ok(Self {
                database_url,
                redis_url,
                http_addr,
                public_url,
                webhook_url,
                default_locale,
                default_tz,
                payment_provider,
                package_sizes,
                yookassa_shop_id,
                yookassa_secret_key,
                yookassa_api_url,
                yookassa_notify_from,
                log_json,
                data_key,
                telegram,
            }),
            _ => Err(ConfigErrors(vec!["configuration is incomplete".to_owned()])),
        }
    }

    fn telegram_from_map<'a>(
        get: &dyn Fn(&str) -> Option<&'a str>,
        needs: Needs,
        errors: &mut Vec<String>,
    ) -> Option<TelegramConfig> {
        let required = needs == Needs::Telegram;
        let token = get("TELOXIDE_TOKEN");
        let admin_chat = get("ADMIN_CHAT_ID");
        let admin_ids = get("ADMIN_IDS");
        if !required && token.is_none() && admin_chat.is_none() && admin_ids.is_none() {
            return None;
        }
        let mut ok = true;
        let token = match token {
            Some(t) if looks_like_token(t) => Some(SecretString::from(t.to_owned())),
            Some(_) => {
                errors
                    .push("TELOXIDE_TOKEN does not look like a bot token (digits:letters, from @BotFather)".to_owned());
                ok = false;
                None
            }
            None => {
                errors.push("TELOXIDE_TOKEN is required (the bot token from @BotFather)".to_owned());
                ok = false;
                None
            }
        };
        let api_url = match get("TELOXIDE_API_URL") {
            Some(raw) => match parse_http_url(raw) {
                Ok(u) => Some(u),
                Err(()) => {
                    errors.push("TELOXIDE_API_URL must be an http(s) URL".to_owned());
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let admin_chat_id = match admin_chat.map(str::parse::<i64>) {
            Some(Ok(id)) if id != 0 => Some(id),
            Some(_) => {
                errors.push("ADMIN_CHAT_ID must be a chat id, e.g. -1001234567890".to_owned());
                ok = false;
                None
            }
            None => {
                errors.push("ADMIN_CHAT_ID is required (the admin group chat id)".to_owned());
                ok = false;
                None
            }
        };
        let admin_ids = match admin_ids {
            Some(raw) => {
                let parsed: Result<Vec<u64>, _> = raw
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::parse::<u64>)
                    .collect();
                match parsed {
                    Ok(ids) if !ids.is_empty() => Some(ids),
                    _ => {
                        errors.push("ADMIN_IDS must be comma-separated Telegram user ids, e.g. 11111,22222".to_owned());
                        ok = false;
                        None
                    }
                }
            }
            None => {
                errors.push("ADMIN_IDS is required (comma-separated Telegram user ids)".to_owned());
                ok = false;
                None
            }
        };
        if !ok {
            return None;
        }
        Some(TelegramConfig {
            token: token?,
            api_url,
            admin_chat_id: admin_chat_id?,
            admin_ids: admin_ids?,
        })
    }
}

fn parse_http_url(raw: &str) -> Result<Url, ()> {
    match Url::parse(raw) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host_str().is_some() => Ok(u),
        _ => Err(()),
    }
}

fn looks_like_token(t: &str) -> bool {
    match t.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
                && !secret.is_empty()
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

/// Loads `KEY=VALUE` lines from a `.env` file into the environment, without overriding
/// variables that are already set. A missing file is fine.
fn load_dotenv(path: &str) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let k = k.trim();
            let v = v.trim().trim_matches('"');
            if std::env::var_os(k).is_none() {
                // SAFETY-free in edition 2021: set_var is safe; called before any thread starts.
                std::env::set_var(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_for_storage_commands() {
        let c = Config::from_map(&vars(&[]), Needs::Storage).expect("defaults are valid");
        assert_eq!(c.database_url, DatabaseUrl::Sqlite("sqlite://proego.db".into()));
        assert_eq!(c.http_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.default_locale, Lang::Ru);
        assert_eq!(c.default_tz, chrono_tz::Europe::Moscow);
        assert_eq!(c.payment_provider, PaymentProviderKind::Sandbox);
        assert_eq!(c.package_sizes, vec![4, 8]);
        assert!(c.telegram.is_none());
    }

    #[test]
    fn r_pay_1_package_sizes_from_configuration() {
        let c = Config::from_map(&vars(&[("PACKAGE_SIZES", " 5, 10,5 ")]), Needs::Storage).unwrap();
        assert_eq!(c.package_sizes, vec![5, 10]);
        assert_eq!(c.domain_settings().package_sizes, vec![5, 10]);
        for bad in ["0", "4,x", "101", ",", "-4"] {
            let err = Config::from_map(&vars(&[("PACKAGE_SIZES", bad)]), Needs::Storage).unwrap_err();
            assert!(format!("{err:?}").contains("PACKAGE_SIZES"), "{bad}");
        }
    }

    #[test]
    fn run_names_every_missing_and_wrong_value_at_once() {
        let err = Config::from_map(
            &vars(&[
                ("DATABASE_URL", "mysql://x"),
                ("DEFAULT_LOCALE", "de"),
                ("HTTP_ADDR", "nope"),
            ]),
            Needs::Telegram,
        )
        .unwrap_err();
        let all = err.0.join("\n");
        for needle in [
            "DATABASE_URL",
            "DEFAULT_LOCALE",
            "HTTP_ADDR",
            "TELOXIDE_TOKEN",
            "ADMIN_CHAT_ID",
            "ADMIN_IDS",
        ] {
            assert!(all.contains(needle), "{needle} not named in: {all}");
        }
        assert_eq!(err.0.len(), 6);
    }

    #[test]
    fn full_run_configuration() {
        let c = Config::from_map(
            &vars(&[
                ("TELOXIDE_TOKEN", "123:ABC_def-1"),
                ("ADMIN_CHAT_ID", "-1001"),
                ("ADMIN_IDS", " 5, 6 ,"),
                ("DATABASE_URL", "postgres://u:secret@localhost/db"),
                ("DEFAULT_LOCALE", "en"),
                ("PUBLIC_URL", "https://bot.example.org"),
            ]),
            Needs::Telegram,
        )
        .expect("valid");
        let t = c.telegram.expect("telegram");
        assert_eq!(t.admin_chat_id, -1001);
        assert_eq!(t.admin_ids, vec![5, 6]);
        assert_eq!(c.default_locale, Lang::En);
        assert!(!c.database_url.redacted().contains("secret"));
    }

    #[test]
    fn yookassa_needs_its_credentials() {
        let err = Config::from_map(&vars(&[("PAYMENT_PROVIDER", "yookassa")]), Needs::Storage).unwrap_err();
        assert_eq!(err.0.len(), 2);
    }

    #[test]
    fn bad_token_and_admin_ids() {
        let err = Config::from_map(
            &vars(&[
                ("TELOXIDE_TOKEN", "hello"),
                ("ADMIN_CHAT_ID", "x"),
                ("ADMIN_IDS", "a,b"),
            ]),
            Needs::Telegram,
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 3, "{:?}", err.0);
    }
}
