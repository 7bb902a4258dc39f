//! The binary's commands as a newcomer runs them: `check`, `migrate`, and `run` with bad
//! configuration (one message naming every problem, exit status 2, no panic).

use std::process::Command;

fn proego(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_proego"));
    c.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    c
}

#[test]
fn check_validates_the_repository_files_and_prints_a_summary() {
    let out = proego(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("locales: ru and en"), "{stdout}");
    assert!(stdout.contains("dialogues/timezones.toml"), "{stdout}");
    assert!(stdout.trim_end().ends_with("all good"), "{stdout}");
}

#[test]
fn check_fails_with_status_2_on_bad_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for lang in ["ru", "en"] {
        std::fs::create_dir_all(dir.path().join("locales").join(lang)).unwrap();
        for f in std::fs::read_dir(root.join("locales").join(lang)).unwrap().flatten() {
            std::fs::copy(f.path(), dir.path().join("locales").join(lang).join(f.file_name())).unwrap();
        }
    }
    // A key only in Russian, and a broken time zone catalogue.
    let ru = dir.path().join("locales/ru/main.ftl");
    let text = std::fs::read_to_string(&ru).unwrap() + "\nonly-in-russian = да\n";
    std::fs::write(&ru, text).unwrap();
    std::fs::create_dir_all(dir.path().join("dialogues")).unwrap();
    std::fs::write(
        dir.path().join("dialogues/timezones.toml"),
        "[[zone]]\nzone = \"Mars/Base\"\n",
    )
    .unwrap();
    let out = proego(dir.path()).arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("only-in-russian"), "{stderr}");
    assert!(stderr.contains("dialogues/timezones.toml"), "{stderr}");
}

#[test]
fn run_with_bad_configuration_names_every_problem_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = proego(dir.path())
        .arg("run")
        .env("DATABASE_URL", "mysql://nope")
        .env("ADMIN_IDS", "one,two")
        .env("DEFAULT_TZ", "Mars/Base")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for needle in [
        "DATABASE_URL",
        "ADMIN_IDS",
        "DEFAULT_TZ",
        "TELOXIDE_TOKEN",
        "ADMIN_CHAT_ID",
    ] {
        assert!(stderr.contains(needle), "{needle} not named: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !dir.path().join("proego.db").exists(),
        "nothing is created on a bad start"
    );
}

#[test]
fn migrate_creates_and_migrates_the_default_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = proego(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("proego.db").exists());
    // Twice is fine.
    let again = proego(dir.path()).arg("migrate").output().unwrap();
    assert!(again.status.success());
}
