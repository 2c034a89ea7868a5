//! `kioskctl translations` on a copy of the default content: a Vietnamese
//! sentence changed after every locale was confirmed.

use std::path::Path;
use std::process::{Command, Output};

use kiosk_tests::repo_root;

const LOCALES: [&str; 5] = ["en", "ko", "ja", "zh-Hans", "zh-Hant"];
const CHANGED: &str = "story/01-award.toml › scenes[new-york] › body";

fn kioskctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kioskctl")).args(args).output().expect("kioskctl runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn said(output: &Output) -> String {
    format!("{}{}", stdout(output), String::from_utf8_lossy(&output.stderr))
}

/// The TOML files of `media/` (not its lock, films or pictures) copied into `to`.
fn copy_texts(to: &Path) {
    let media = repo_root().join("media");
    for folder in ["", "story"] {
        std::fs::create_dir_all(to.join(folder)).unwrap();
        for entry in std::fs::read_dir(media.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "toml") {
                std::fs::copy(&path, to.join(folder).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// The Vietnamese body of the scene `new-york`, one sentence longer.
fn change_a_vietnamese_sentence(folder: &Path) {
    let path = folder.join("story/01-award.toml");
    let mut chapter: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
    let scenes = chapter["scenes"].as_array_of_tables_mut().unwrap();
    let scene = scenes.iter_mut().find(|scene| scene["id"].as_str() == Some("new-york")).unwrap();
    let body = scene["body"]["vi"].as_str().unwrap().to_owned();
    scene["body"]["vi"] = toml_edit::value(format!("{body}\n\nTin vui lan khắp tỉnh."));
    std::fs::write(&path, chapter.to_string()).unwrap();
}

/// The cells of the table's row for `locale`: texts, translated, missing, stale,
/// unconfirmed.
fn row(output: &str, locale: &str) -> Vec<usize> {
    let line = output
        .lines()
        .find(|line| line.starts_with(&format!("| {locale} |")))
        .unwrap_or_else(|| panic!("no row for {locale}:\n{output}"));
    line.split('|').skip(2).filter_map(|cell| cell.trim().parse().ok()).collect()
}

/// The places listed under `locale`, after the table.
fn listed<'a>(output: &'a str, locale: &str) -> Vec<&'a str> {
    let heading = format!("\n{locale}:\n");
    let Some(start) = output.find(&heading) else { return Vec::new() };
    output[start + heading.len()..].lines().take_while(|line| !line.is_empty()).collect()
}

#[test]
fn a_changed_vietnamese_sentence_is_stale_in_every_locale_until_confirmed() {
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("media");
    copy_texts(&folder);
    let dir = folder.to_str().unwrap();
    for locale in LOCALES {
        let confirmed = kioskctl(&["translations", "confirm", dir, "--locale", locale]);
        assert!(confirmed.status.success(), "{}", said(&confirmed));
        assert!(stdout(&confirmed).starts_with("confirmed "), "{}", said(&confirmed));
    }
    let lock = std::fs::read_to_string(folder.join("translations.lock")).unwrap();
    assert!(lock.contains(&format!("\"{CHANGED}\" = ")), "{lock}");

    change_a_vietnamese_sentence(&folder);
    let checked = kioskctl(&["translations", "check", dir]);
    assert_eq!(checked.status.code(), Some(1), "{}", said(&checked));
    let table = stdout(&checked);
    for locale in LOCALES {
        assert_eq!(row(&table, locale)[3], 1, "one stale text in {locale}:\n{table}");
        assert!(
            listed(&table, locale).contains(&format!("- stale: {CHANGED}").as_str()),
            "{locale}:\n{table}"
        );
    }

    let confirmed = kioskctl(&["translations", "confirm", dir, "--locale", "ko"]);
    assert!(confirmed.status.success(), "{}", said(&confirmed));
    let checked = kioskctl(&["translations", "check", dir]);
    assert_eq!(checked.status.code(), Some(1), "the other locales are still stale: {}", said(&checked));
    let table = stdout(&checked);
    assert_eq!(row(&table, "ko")[3], 0, "{table}");
    assert!(!listed(&table, "ko").iter().any(|line| line.ends_with(CHANGED)), "{table}");
    for locale in LOCALES.into_iter().filter(|locale| *locale != "ko") {
        assert!(
            listed(&table, locale).contains(&format!("- stale: {CHANGED}").as_str()),
            "{locale}:\n{table}"
        );
    }
    assert!(
        said(&checked).contains("kioskctl translations confirm"),
        "says how to confirm: {}",
        said(&checked)
    );
}

#[test]
fn one_place_is_confirmed_and_an_unknown_one_refused() {
    let work = tempfile::tempdir().unwrap();
    let folder = work.path().join("media");
    copy_texts(&folder);
    let dir = folder.to_str().unwrap();

    let confirmed = kioskctl(&["translations", "confirm", dir, "--locale", "ja", "--place", CHANGED]);
    assert!(confirmed.status.success(), "{}", said(&confirmed));
    assert_eq!(stdout(&confirmed), format!("confirmed 1 ja text(s) in {dir}/translations.lock\n"));
    let table = stdout(&kioskctl(&["translations", "check", dir]));
    let ja = row(&table, "ja");
    assert_eq!(ja[4], ja[1] - 1, "all but one translation unconfirmed: {table}");

    let refused = kioskctl(&["translations", "confirm", dir, "--locale", "ja", "--place", "story › nowhere"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(said(&refused).contains("\"story › nowhere\" names no text"), "{}", said(&refused));

    std::fs::write(folder.join("story/09-broken.toml"), "[title\nvi = \"Hỏng\"\n").unwrap();
    let broken = kioskctl(&["translations", "check", dir]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(said(&broken).contains("story/09-broken.toml: TOML parse error at line 1"), "{}", said(&broken));
}
