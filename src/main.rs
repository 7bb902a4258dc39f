//! The `proego` binary: `run` (the bot), `migrate`, `check`.

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use proego::app::{open_db, App, AppOptions};
use proego::catalog::Catalog;
use proego::config::{Config, ConfigErrors, Needs};
use proego::i18n::{Lang, Locales};

#[derive(Parser)]
#[command(name = "proego", version, about = "proEgo.online booking bot")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot (long polling, or webhook when WEBHOOK_URL is set) and its HTTP server.
    Run,
    /// Apply the database migrations and exit.
    Migrate,
    /// Validate configuration, dialogues/ and locales/, and print what was found.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let needs = match cli.command {
        Cmd::Run => Needs::Telegram,
        Cmd::Migrate | Cmd::Check => Needs::Storage,
    };
    let config = match Config::from_env(needs) {
        Ok(c) => c,
        Err(e) => return config_failure(&e),
    };
    proego::telemetry::init_logs(config.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("proego: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match cli.command {
            Cmd::Run => run(config).await,
            Cmd::Migrate => migrate(config).await,
            Cmd::Check => check(config),
        }
    })
}

fn config_failure(e: &ConfigErrors) -> ExitCode {
    eprint!("proego: {e}");
    ExitCode::from(2)
}

async fn run(config: Config) -> ExitCode {
    let _ = proego::telemetry::metrics();
    let db = match open_db(&config).await {
        Ok(db) => db,
        Err(e) => {
            eprintln!(
                "proego: cannot open the database {}: {e}",
                config.database_url.redacted()
            );
            return ExitCode::FAILURE;
        }
    };
    let app = match App::build(config, db, AppOptions::default()).await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("proego: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match app.spawn().await {
        Ok(running) => {
            running.wait().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("proego: cannot start: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: Config) -> ExitCode {
    match open_db(&config).await {
        Ok(db) => {
            println!(
                "migrations applied to {} ({})",
                config.database_url.redacted(),
                db.backend()
            );
            db.close().await;
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("proego: migration failed on {}: {e}", config.database_url.redacted());
            ExitCode::FAILURE
        }
    }
}

fn check(config: Config) -> ExitCode {
    let mut problems = Vec::new();
    let mut lines = vec![
        format!("database: {}", config.database_url.redacted()),
        format!(
            "dialogue state: {}",
            if config.redis_url.is_some() {
                "redis"
            } else {
                "sql database"
            }
        ),
        format!("http: {} (public {})", config.http_addr, config.public_url),
        format!(
            "telegram: {}",
            match (&config.telegram, &config.webhook_url) {
                (None, _) => "not configured (needed by `run`)".to_owned(),
                (Some(t), None) => format!(
                    "long polling; admin chat {}, {} admin(s)",
                    t.admin_chat_id,
                    t.admin_ids.len()
                ),
                (Some(t), Some(w)) => format!(
                    "webhook {w}; admin chat {}, {} admin(s)",
                    t.admin_chat_id,
                    t.admin_ids.len()
                ),
            }
        ),
        format!("payments: {:?}", config.payment_provider),
        format!(
            "defaults: locale {}, time zone {}",
            config.default_locale, config.default_tz
        ),
    ];
    let locales = match Locales::check_dir(Path::new("locales")) {
        Ok(l) => {
            lines.push(format!(
                "locales: ru and en, {} messages each, the same keys",
                l.keys(Lang::Ru).len()
            ));
            Some(l)
        }
        Err(e) => {
            problems.extend(e);
            None
        }
    };
    match Catalog::check_dir(Path::new("dialogues")) {
        Ok(c) => {
            lines.extend(c.summary());
            if let Some(l) = &locales {
                for key in c.locale_keys() {
                    if !l.has(&key) {
                        problems.push(format!(
                            "dialogues/ need the locale key {key} in locales/ru and locales/en"
                        ));
                    }
                }
            }
        }
        Err(e) => problems.extend(e),
    }
    for l in &lines {
        println!("{l}");
    }
    if problems.is_empty() {
        println!("all good");
        ExitCode::SUCCESS
    } else {
        eprintln!("proego check found {} problem(s):", problems.len());
        for p in &problems {
            eprintln!("  - {p}");
        }
        ExitCode::from(2)
    }
}
