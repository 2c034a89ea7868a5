//! From an author's folder to a screen: `kioskctl publish` on the central server,
//! then `kioskctl sync` with a device token, over real HTTP on 127.0.0.1.

use std::path::Path;
use std::process::Command;

use kiosk_tests::write_content_folder;

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn kioskctl(args: &[&str]) -> (bool, String) {
    kioskctl_with(args, &[])
}

/// Runs kioskctl with `env` set (tokens travel there, never in `args`).
fn kioskctl_with(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kioskctl"))
        .args(args)
        .env_remove("KIOSK_ADMIN_TOKEN")
        .env_remove("KIOSK_DEVICE_TOKEN")
        .env_remove("KIOSK_TOKEN")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), said)
}

#[test]
fn an_author_publishes_and_a_screen_syncs_it() {
    let work = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let settings = kiosk_server::Settings::new(work.path().join("server"), "admin-secret".into());
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(kiosk_server::serve(settings, listener, std::future::pending()));

    let source = work.path().join("source");
    write_content_folder(&source, "published");
    let publish = |token: &str| {
        kioskctl_with(
            &["publish", s(&source), "--server", &base, "--channel", "wtc-booths", "--no-probe"],
            &[("KIOSK_ADMIN_TOKEN", token)],
        )
    };
    let (ok, said) = kioskctl(&["publish", s(&source), "--server", &base, "--channel", "wtc-booths"]);
    assert!(!ok && said.contains("set KIOSK_ADMIN_TOKEN to the server's admin token"), "{said}");
    let on_the_command_line = [
        "publish",
        s(&source),
        "--server",
        &base,
        "--channel",
        "wtc-booths",
        "--admin-token",
        "admin-secret",
    ];
    let (ok, said) = kioskctl(&on_the_command_line);
    assert!(!ok && said.contains("unexpected argument '--admin-token'"), "never on the command line: {said}");
    let (ok, said) = publish("wrong");
    assert!(!ok && said.contains("401"), "{said}");
    let (ok, said) = publish("admin-secret");
    assert!(ok, "{said}");
    assert!(said.starts_with("published wtc-booths version 1 ("), "{said}");
    let (ok, said) = publish("admin-secret");
    assert!(
        ok && said.contains("version 2") && said.contains(" 0 uploaded"),
        "nothing uploaded twice: {said}"
    );

    let http = reqwest::blocking::Client::new();
    let key = http.get(format!("{base}/v1/public-key")).send().unwrap().text().unwrap();
    std::fs::write(work.path().join("server.pub"), key).unwrap();
    let code: serde_json::Value = serde_json::from_str(
        &http
            .post(format!("{base}/v1/admin/channels/wtc-booths/enrolment-codes"))
            .bearer_auth("admin-secret")
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .unwrap();
    let enrolled: serde_json::Value = serde_json::from_str(
        &http
            .post(format!("{base}/v1/enrol"))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "code": code["code"], "name": "Booth 1" }).to_string())
            .send()
            .unwrap()
            .text()
            .unwrap(),
    )
    .unwrap();
    let token = enrolled["token"].as_str().unwrap();

    let screen = work.path().join("screen");
    let (ok, said) = kioskctl_with(
        &[
            "sync",
            "--server",
            &base,
            "--data-dir",
            s(&screen),
            "--public-key",
            s(&work.path().join("server.pub")),
            "--channel",
            "wtc-booths",
            "--once",
        ],
        &[("KIOSK_DEVICE_TOKEN", token)],
    );
    assert!(ok, "{said}");
    assert!(said.starts_with("activated wtc-booths version 2:"), "{said}");

    // A USB stick for a fair abroad, from the server and from the screen; both verify.
    for (name, from, env) in [
        ("from-server", vec!["--server", base.as_str()], vec![("KIOSK_TOKEN", "admin-secret")]),
        ("from-screen", vec!["--data-dir", s(&screen)], vec![]),
    ] {
        let out = work.path().join(name);
        let mut args = vec!["bundle", "export", "--channel", "wtc-booths", "--out", s(&out)];
        args.extend(from);
        let (ok, said) = kioskctl_with(&args, &env);
        assert!(ok && said.starts_with("exported wtc-booths version 2 to "), "{said}");
        let (ok, said) =
            kioskctl(&["bundle", "verify", s(&out), "--public-key", s(&work.path().join("server.pub"))]);
        assert!(ok && said.starts_with("valid: channel wtc-booths, version 2"), "{name}: {said}");
    }
    let (ok, said) = kioskctl(&[
        "bundle",
        "export",
        "--data-dir",
        s(&screen),
        "--channel",
        "wtc-booths",
        "--out",
        s(&work.path().join("from-screen")),
    ]);
    assert!(!ok && said.contains("already exists"), "{said}");
}
