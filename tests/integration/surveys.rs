//! Visitor surveys on a screen showing the default content: the survey comes in
//! the visitor's language, and each visitor's answer reaches the outbox once,
//! as `survey_answer` with `{survey, option, chapter, scene, locale}`.

use kiosk_authoring::{BuildOptions, build_bundle};
use kiosk_device::config::Mode;
use kiosk_device::events::EventKind;
use kiosk_device::library::Trust;
use kiosk_device::survey::SurveyAnswer;
use kiosk_device::{DataDir, InterfaceEvent, Screen, ScreenSetup};
use kiosk_tests::{key, now, repo_root};

/// A screen in `mode` showing the default content.
fn screen(mode: Mode) -> (tempfile::TempDir, Screen) {
    let work = tempfile::tempdir().unwrap();
    let data_dir = DataDir::new(work.path().join("data"));
    let options = BuildOptions::new("default", 1, now(), key(1));
    build_bundle(&repo_root().join("media"), &data_dir.incoming().join("default"), &options, &mut |_| {})
        .unwrap();
    let trust = Trust::new(vec![key(1).verifying_key()], "default");
    let mut setup = ScreenSetup::new(data_dir, trust);
    setup.presentation.mode = mode;
    let screen = Screen::open(setup).unwrap();
    assert!(screen.release().is_some(), "the default content is shown");
    (work, screen)
}

fn answer(option: &str, locale: &str) -> InterfaceEvent {
    let answer = SurveyAnswer {
        survey: "what-brings-you".into(),
        option: option.into(),
        chapter: "invest".into(),
        scene: "your-visit".into(),
        locale: locale.into(),
    };
    InterfaceEvent { kind: EventKind::SurveyAnswer, data: answer.to_data() }
}

fn touch() -> InterfaceEvent {
    InterfaceEvent { kind: EventKind::Touch, data: Default::default() }
}

/// The `option` of every `survey_answer` in the outbox, in order.
fn answers_stored(screen: &Screen) -> Vec<String> {
    let events = screen.data_dir().open_store().unwrap().pending_events(1000).unwrap();
    events
        .iter()
        .filter(|e| e.kind == EventKind::SurveyAnswer)
        .map(|e| {
            let keys: Vec<&str> = e.data.keys().map(String::as_str).collect();
            assert_eq!(keys, ["chapter", "locale", "option", "scene", "survey"], "one shape");
            e.data["option"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn the_survey_comes_in_the_visitors_language() {
    let (_work, screen) = screen(Mode::Kiosk);
    for (locale, question, first) in [
        ("vi", "Điều gì đưa bạn đến với Bình Dương?", "Đầu tư sản xuất"),
        ("en", "What brings you to Bình Dương?", "Manufacturing investment"),
    ] {
        let content = screen.content(locale).unwrap();
        let invest = content.chapters.iter().find(|c| c.id == "invest").unwrap();
        let scene = invest.scenes.iter().find(|s| s.id == "your-visit").unwrap();
        let survey = scene.survey.as_ref().expect("the scene's survey");
        assert_eq!(survey.id, "what-brings-you");
        assert_eq!(survey.question, question);
        assert_eq!(survey.options.len(), 5);
        assert_eq!(survey.options[0].label, first);
        let others = content.chapters.iter().flat_map(|c| &c.scenes).filter(|s| s.survey.is_some()).count();
        assert_eq!(others, 1, "one survey in the default content");
    }
}

#[test]
fn each_visitor_answers_once() {
    let (_work, screen) = screen(Mode::Kiosk);
    assert_eq!(screen.record_events(vec![touch(), answer("research", "en")]).unwrap(), 2);
    // The same visitor again, in another batch: left out, the touch kept.
    assert_eq!(screen.record_events(vec![answer("tourism", "en"), touch()]).unwrap(), 1);
    assert_eq!(answers_stored(&screen), ["research"]);

    screen.new_visit();
    assert_eq!(screen.record_events(vec![answer("study", "vi")]).unwrap(), 1);
    assert_eq!(answers_stored(&screen), ["research", "study"]);

    screen.new_visit();
    // Answers the release shown does not have are left out.
    let unknown = [answer("golf", "en"), answer("study", "fr")];
    assert_eq!(screen.record_events(unknown.to_vec()).unwrap(), 0);
    assert_eq!(screen.record_events(vec![answer("trade", "en")]).unwrap(), 1, "the visit may still answer");
    assert_eq!(answers_stored(&screen), ["research", "study", "trade"]);
}

#[test]
fn unattended_screens_record_no_answers() {
    let (_work, screen) = screen(Mode::Signage);
    assert_eq!(screen.record_events(vec![answer("research", "en"), touch()]).unwrap(), 1);
    assert!(answers_stored(&screen).is_empty());
}
